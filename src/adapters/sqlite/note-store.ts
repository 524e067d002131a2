/**
 * Notes on runs and model versions in the local SQLite state file (state.db), next to the run index.
 */
import type { Note, NoteKind, NoteStore } from '../../ports/note-store.js';
import { openSqlite, type SqliteDb } from './open.js';

interface Row { kind: NoteKind; id: string; text: string; updated_at: string }
const toNote = (r: Row): Note => ({ kind: r.kind, id: r.id, text: r.text, updatedAt: r.updated_at });

export class SqliteNoteStore implements NoteStore {
  private readonly db: SqliteDb;

  constructor(path: string) {
    this.db = openSqlite(path);
    this.db.exec('CREATE TABLE IF NOT EXISTS notes (kind TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (kind, id))');
  }

  get(kind: NoteKind, id: string): Promise<Note | undefined> {
    const row = this.db.prepare('SELECT * FROM notes WHERE kind = ? AND id = ?').get(kind, id) as Row | undefined;
    return Promise.resolve(row ? toNote(row) : undefined);
  }

  set(kind: NoteKind, id: string, text: string): Promise<Note | undefined> {
    if (text === '') {
      this.db.prepare('DELETE FROM notes WHERE kind = ? AND id = ?').run(kind, id);
      return Promise.resolve(undefined);
    }
    const note: Note = { kind, id, text, updatedAt: new Date().toISOString() };
    this.db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at').run(kind, id, text, note.updatedAt);
    return Promise.resolve(note);
  }

  list(kind: NoteKind): Promise<Note[]> {
    return Promise.resolve((this.db.prepare('SELECT * FROM notes WHERE kind = ? ORDER BY id').all(kind) as Row[]).map(toNote));
  }

  close(): void {
    this.db.close();
  }
}
