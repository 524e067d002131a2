import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteNoteStore } from './note-store.js';

describe('SqliteNoteStore', () => {
  it('keeps one note per run or version across reopening; an empty text removes it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ns-notes-')), 'state.db');
    const a = new SqliteNoteStore(path);
    await a.set('run', 'run-1', 'first try');
    await a.set('run', 'run-1', 'tuned the grid');
    await a.set('version', '3', 'shipped on Monday');
    a.close();
    const b = new SqliteNoteStore(path);
    expect(await b.get('run', 'run-1')).toMatchObject({ kind: 'run', id: 'run-1', text: 'tuned the grid' });
    expect(await b.get('version', 'run-1')).toBeUndefined();
    expect((await b.list('version')).map((n) => n.text)).toEqual(['shipped on Monday']);
    expect(await b.set('run', 'run-1', '')).toBeUndefined();
    expect(await b.get('run', 'run-1')).toBeUndefined();
    b.close();
  });
});
