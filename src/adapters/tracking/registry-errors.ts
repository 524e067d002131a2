/**
 * The errors every deciding registry (SQLite state file, MongoDB) gives for the same mistakes, so the
 * CLI, API and tests see one code and one sentence whichever store holds the registry.
 */
import { NsError } from '../../core/errors.js';
import type { Alias } from '../../ports/registry.js';

export const ALIASES: readonly Alias[] = ['champion', 'challenger'];

export function aliasInvalid(alias: string): NsError {
  return new NsError('ALIAS_INVALID', `Unknown alias ${alias}.`, { hint: 'Use champion or challenger.' });
}

/** The alias held `current`, not `expected`: another move came first. */
export function aliasConflict(alias: Alias, current: number | null, expected: number | null, requested: number | null): NsError {
  return new NsError('ALIAS_CONFLICT', `Alias ${alias} holds version ${current ?? 'none'}, not ${expected ?? 'none'} as expected; another promotion won.`, {
    kind: 'conflict', details: { alias, current, expected, requested },
    hint: 'Reload the registry and decide again against the current version.',
  });
}

export function versionNotFound(version: number): NsError {
  return new NsError('MODEL_VERSION_NOT_FOUND', `Model version ${version} does not exist.`, {
    kind: 'not_found', hint: 'List versions with `networksecurity models list`.',
  });
}
