import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle, type ModelBundle } from './bundle.js';

const bundle: ModelBundle = {
  featureNames: ['a', 'b'],
  schemaHash: 'schema-1',
  trainingDataHash: 'data-1',
  metrics: { f1: 0.97 },
  libraryVersion: '0.1.0',
  createdAt: '2026-01-01T00:00:00.000Z',
  preprocessors: [{ kind: 'imputer', params: { strategy: 'most_frequent' }, json: {}, arrays: { fill: new Float64Array([1, -1]) } }],
  model: { kind: 'tree', params: { maxDepth: 3 }, json: { nNodes: 3 }, arrays: { feature: new Int32Array([0, -1, -1]), value: new Float32Array([0.5, 0.25, 0.75]), flag: new Uint8Array([1, 0, 1]) } },
};

describe('model bundle', () => {
  it('round-trips every typed array bit for bit', () => {
    const back = decodeBundle(encodeBundle(bundle));
    expect(back.featureNames).toEqual(['a', 'b']);
    expect(back.model.arrays['value']).toEqual(new Float32Array([0.5, 0.25, 0.75]));
    expect(back.model.arrays['feature']).toBeInstanceOf(Int32Array);
    expect(back.model.arrays['flag']).toEqual(new Uint8Array([1, 0, 1]));
    expect(back.preprocessors[0]!.arrays['fill']).toEqual(new Float64Array([1, -1]));
    expect(back.model.json).toEqual({ nNodes: 3 });
  });

  it('reads a Node Buffer (as readFileSync gives it) and a view into a larger buffer the same way', () => {
    const bytes = encodeBundle(bundle);
    const padded = Buffer.concat([Buffer.alloc(5), Buffer.from(bytes)]).subarray(5);
    for (const input of [Buffer.from(bytes), padded]) {
      const back = decodeBundle(input);
      expect(back.model.arrays['value']).toEqual(new Float32Array([0.5, 0.25, 0.75]));
      expect(back.model.arrays['feature']).toEqual(new Int32Array([0, -1, -1]));
      expect(back.preprocessors[0]!.arrays['fill']).toEqual(new Float64Array([1, -1]));
    }
  });

  it('refuses a bundle made for another schema', () => {
    expect(() => decodeBundle(encodeBundle(bundle), { schemaHash: 'schema-2' })).toThrow(/BUNDLE_SCHEMA_MISMATCH|schema/);
  });

  it('refuses bytes that are not a bundle, or a truncated one', () => {
    expect(() => decodeBundle(new TextEncoder().encode('hello world, not a bundle'))).toThrow(/NSMB/);
    const bytes = encodeBundle(bundle);
    expect(() => decodeBundle(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
  });
});
