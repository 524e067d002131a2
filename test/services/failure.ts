/** Awaits a call that must fail with an NsError and returns that error (anything else is rethrown). */
import { NsError } from '../../src/core/errors.js';

export async function failure(p: Promise<unknown>): Promise<NsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NsError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
