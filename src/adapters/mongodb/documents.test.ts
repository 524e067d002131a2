import { describe, expect, it } from 'vitest';
import { Binary } from 'mongodb';
import { fitsLayout, fromDocument, layoutId, layoutKey, packable, packedLayoutKey, toDocument, toPackedDocuments, toValue } from './documents.js';

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

  it('packs values into one Binary and reads them back by layout, -128 meaning missing', () => {
    const columns = ['a', 'b', 'Result'];
    const layout = { id: layoutId(columns), columns };
    const docs = toPackedDocuments([{ id: 'r1', values: { a: -1, b: null, Result: 1 } }, { id: 'r2', values: { a: 0, b: 1, Result: -1 } }], layout, 9);
    expect(Object.keys(docs[0]!)).toEqual(['_id', '_updatedAt', '_r']);
    const bytes = (docs[0]!._r as Binary).buffer;
    expect([...bytes]).toEqual([1, ...Buffer.from(layout.id, 'hex'), 255, 128, 1]);
    expect(packedLayoutKey(docs[1]!)).toBe(layoutKey(layout.id));
    const layouts = new Map([[layoutKey(layout.id), columns]]);
    expect(fromDocument(docs[0]!, layouts)).toEqual({ id: 'r1', updatedAt: 9, values: { a: -1, b: null, Result: 1 } });
    expect(fromDocument(docs[1]!, layouts).values).toEqual({ a: 0, b: 1, Result: -1 });
    expect(() => fromDocument(docs[0]!, new Map())).toThrow(/layout .* not loaded/);
  });
  it('tells flat documents from packed ones', () => {
    expect(packedLayoutKey({ _id: 'x', a: 1 })).toBeNull();
    expect(packedLayoutKey({ _id: 'x', _r: new Binary(Buffer.from([7, 0, 0, 0, 0])) })).toBeNull();
    expect(fromDocument({ _id: 'x', _r: 'text', a: 1 }).values).toEqual({ _r: null, a: 1 });
  });
  it('packs only integers in [-127, 127] and only values in the layout order', () => {
    expect(packable({ a: 127, b: -127, c: null })).toBe(true);
    expect([packable({ a: 128 }), packable({ a: -128 }), packable({ a: 0.5 })]).toEqual([false, false, false]);
    expect(fitsLayout({ a: 1, b: 2 }, ['a', 'b'])).toBe(true);
    expect([fitsLayout({ b: 1, a: 2 }, ['a', 'b']), fitsLayout({ a: 1 }, ['a', 'b']), fitsLayout({ a: 1, b: 1, c: 1 }, ['a', 'b'])]).toEqual([false, false, false]);
    expect(layoutId(['a', 'b'])).toMatch(/^[0-9a-f]{8}$/);
    expect(layoutId(['a', 'b'])).not.toBe(layoutId(['b', 'a']));
  });
});
