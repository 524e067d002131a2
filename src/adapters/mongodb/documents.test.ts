import { describe, expect, it } from 'vitest';
import { fromDocument, toDocument, toValue } from './documents.js';

describe('documents', () => {
  it('stores values flat with the id as _id and _updatedAt', () => {
    expect(toDocument({ id: 'r1', values: { having_IP_Address: -1, Result: 1 } }, 5)).toEqual({
      _id: 'r1', having_IP_Address: -1, Result: 1, _updatedAt: 5,
    });
  });
  it('reads back a record, dropping _id and mapping "na" to null', () => {
    const rec = fromDocument({ _id: 'r1', _updatedAt: 7, a: 1, b: 'na', c: '-1', d: '' });
    expect(rec).toEqual({ id: 'r1', updatedAt: 7, values: { a: 1, b: null, c: -1, d: null } });
  });
  it('uses the ObjectId string and time 0 for documents of the original project', () => {
    const rec = fromDocument({ _id: { toString: () => 'abc' }, a: 1 });
    expect(rec.id).toBe('abc');
    expect(rec.updatedAt).toBe(0);
  });
  it('maps missing kinds of values to null', () => {
    expect([toValue(NaN), toValue('NaN'), toValue('x'), toValue(undefined), toValue(true), toValue(2)]).toEqual([null, null, null, null, 1, 2]);
  });
});
