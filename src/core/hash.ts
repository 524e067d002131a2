/**
 * Content hashes (sha256, hex) of strings, bytes and typed arrays; pure (node:crypto does no I/O).
 */
import { createHash } from 'node:crypto';

export function sha256(data: string | Uint8Array | ArrayBufferView): string {
  const h = createHash('sha256');
  if (typeof data === 'string') h.update(data);
  else h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return h.digest('hex');
}
