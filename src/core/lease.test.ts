import { describe, expect, it } from 'vitest';
import { NsError } from './errors.js';
import { watchLease } from './lease.js';

describe('watchLease', () => {
  it('is lost at once when a renewal is refused, with RUN_LOCK_LOST as the reason', () => {
    const w = watchLease(30_000);
    expect(w.lost.aborted).toBe(false);
    w.refused();
    expect(w.lost.aborted).toBe(true);
    expect(w.lost.reason).toBeInstanceOf(NsError);
    expect((w.lost.reason as NsError).code).toBe('RUN_LOCK_LOST');
    expect(() => w.lost.throwIfAborted()).toThrow(/lost the registry's run lock/);
  });

  it('survives failed renewals while the lease is still valid, and is lost once it expired', () => {
    let t = 1_000;
    const w = watchLease(30_000, () => t);
    t += 10_000;
    w.failed();
    t += 19_999;
    w.failed();
    expect(w.lost.aborted).toBe(false);
    t += 1;
    w.failed();
    expect(w.lost.aborted).toBe(true);
    expect((w.lost.reason as NsError).message).toMatch(/no renewal succeeded for 30 s/);
  });

  it('counts the lease time from the last successful renewal', () => {
    let t = 0;
    const w = watchLease(30_000, () => t);
    t = 25_000;
    w.confirmed();
    t = 50_000;
    w.failed();
    expect(w.lost.aborted).toBe(false);
    t = 55_000;
    w.failed();
    expect(w.lost.aborted).toBe(true);
  });

  it('keeps the first reason when lost twice', () => {
    let t = 0;
    const w = watchLease(1_000, () => t);
    w.refused();
    const first = w.lost.reason as NsError;
    t = 5_000;
    w.failed();
    expect(w.lost.reason).toBe(first);
  });
});
