/**
 * NoteStore: a user's free-text note on a pipeline run or a model version (what MLflow calls a run's
 * or version's description). One note per subject; saving replaces it, an empty text removes it.
 */
export type NoteKind = 'run' | 'version';

export interface Note {
  kind: NoteKind;
  /** The run id, or the version number as text. */
  id: string;
  text: string;
  updatedAt: string;
}

export interface NoteStore {
  get(kind: NoteKind, id: string): Promise<Note | undefined>;
  /** Saves the note (an empty text deletes it) and returns what is stored now. */
  set(kind: NoteKind, id: string, text: string): Promise<Note | undefined>;
  /** Every note of one kind. */
  list(kind: NoteKind): Promise<Note[]>;
}
