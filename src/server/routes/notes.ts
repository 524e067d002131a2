/**
 * Notes on runs and model versions: read them freely, save one with the token (the rules of every
 * state change). A note names an existing run or version; its text is at most 10,000 characters.
 */
import type { FastifyInstance } from 'fastify';
import { NsError } from '../../core/errors.js';
import type { NoteKind } from '../../ports/index.js';
import { requireToken } from '../auth.js';
import type { RouteContext } from '../context.js';

export const NOTE_MAX_CHARS = 10_000;

const kinds: Record<string, NoteKind> = { runs: 'run', models: 'version' };
/** The path parameter's name, the same as the collection's other routes use (one name per position). */
const params: Record<string, string> = { runs: 'id', models: 'version' };

/** Registers GET/POST /api/v1/runs/:id/note, /api/v1/models/:version/note and GET /api/v1/notes/{run|version}. */
export function registerNotes(app: FastifyInstance, ctx: RouteContext): void {
  const { deps } = ctx;
  const guard = requireToken(deps.apiToken);

  /** The note's subject after checking that the run or version exists. */
  const subject = async (collection: string, id: string): Promise<{ kind: NoteKind; id: string }> => {
    const kind = kinds[collection]!;
    const exists = kind === 'run' ? await deps.runs.get(id) : /^[1-9]\d*$/.test(id) ? await deps.registry.get(Number(id)) : undefined;
    if (!exists) {
      throw new NsError(kind === 'run' ? 'RUN_NOT_FOUND' : 'MODEL_VERSION_NOT_FOUND', `There is no ${kind === 'run' ? 'run' : 'model version'} ${id}.`, {
        kind: 'not_found', hint: kind === 'run' ? 'List runs with GET /api/v1/runs.' : 'List versions with GET /api/v1/models.',
      });
    }
    return { kind, id };
  };

  for (const collection of Object.keys(kinds)) {
    const param = params[collection]!;
    app.get<{ Params: Record<string, string> }>(`/api/v1/${collection}/:${param}/note`, async (request) => {
      const s = await subject(collection, request.params[param] ?? '');
      return (await deps.notes.get(s.kind, s.id)) ?? { ...s, text: '', updatedAt: null };
    });

    app.post<{ Params: Record<string, string>; Body: { text?: unknown } | undefined }>(`/api/v1/${collection}/:${param}/note`, { preHandler: guard }, async (request) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof body.text !== 'string') {
        throw new NsError('BAD_REQUEST', 'The body must be {"text": "<note>"}.', { hint: 'Send an empty text to remove the note.' });
      }
      if (body.text.length > NOTE_MAX_CHARS) {
        throw new NsError('NOTE_TOO_LONG', `A note has at most ${NOTE_MAX_CHARS.toLocaleString('en')} characters; this one has ${body.text.length.toLocaleString('en')}.`, { hint: 'Shorten the note, or link to a longer document.' });
      }
      const s = await subject(collection, request.params[param] ?? '');
      return (await deps.notes.set(s.kind, s.id, body.text.trim())) ?? { ...s, text: '', updatedAt: null };
    });
  }

  app.get<{ Params: { kind: string } }>('/api/v1/notes/:kind', async (request) => {
    const kind = request.params.kind;
    if (kind !== 'run' && kind !== 'version') throw new NsError('BAD_REQUEST', `There are no notes of kind ${kind}.`, { hint: 'Ask for /api/v1/notes/run or /api/v1/notes/version.' });
    return { notes: await deps.notes.list(kind) };
  });
}
