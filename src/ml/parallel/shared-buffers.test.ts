import { describe, expect, it } from 'vitest';
import { borrowShared, returnShared } from './shared-buffers.js';

describe('borrowShared / returnShared', () => {
  it('hands back a returned buffer that is big enough, the smallest such, and never one still borrowed', () => {
    const big = borrowShared(4096);
    const small = borrowShared(1024);
    expect(big.byteLength).toBe(4096);
    expect(big).not.toBe(small);
    returnShared(big);
    returnShared(small);
    expect(borrowShared(1000)).toBe(small);
    expect(borrowShared(1000)).toBe(big);
    const fresh = borrowShared(1000);
    expect(fresh).not.toBe(small);
    expect(fresh).not.toBe(big);
    expect(borrowShared(8192).byteLength).toBe(8192);
  });

  it('keeps only the two largest returned buffers', () => {
    const bufs = [borrowShared(10), borrowShared(20), borrowShared(30)];
    for (const b of bufs) returnShared(b);
    expect(borrowShared(5)).toBe(bufs[1]);
    expect(borrowShared(5)).toBe(bufs[2]);
    expect(borrowShared(5)).not.toBe(bufs[0]);
  });
});
