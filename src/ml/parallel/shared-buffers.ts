/**
 * Reusable SharedArrayBuffers for per-call scratch space that worker threads must see. A fresh
 * SharedArrayBuffer costs its page faults on first touch (53 MB: about 30 ms on the machines measured,
 * against 4 ms to copy into one already touched), so large per-call buffers are borrowed and returned.
 * A borrowed buffer belongs to its borrower until returned; at most two are kept.
 */
const free: SharedArrayBuffer[] = [];
const KEEP = 2;

/** A SharedArrayBuffer of at least `bytes` bytes (contents unspecified). */
export function borrowShared(bytes: number): SharedArrayBuffer {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    if (free[i]!.byteLength >= bytes && (best < 0 || free[i]!.byteLength < free[best]!.byteLength)) best = i;
  }
  if (best < 0) return new SharedArrayBuffer(bytes);
  return free.splice(best, 1)[0]!;
}

/** Gives a borrowed buffer back; only the largest few are kept. */
export function returnShared(buf: SharedArrayBuffer): void {
  free.push(buf);
  free.sort((a, b) => b.byteLength - a.byteLength);
  free.length = Math.min(free.length, KEEP);
}
