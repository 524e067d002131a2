/**
 * The ONNX export of a large forest fits a small V8 heap: 100 full trees of depth 12 (819,100 nodes, the
 * size of a forest on ~40k rows) exported by bench/ml/onnx-memory.ts in a child process limited to a
 * 256 MB heap. Before the typed-array writer (proto-writer.ts) this export needed ~1.5 GB and died.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../cli/cli-helpers.js';

describe('ONNX export memory', () => {
  it('exports an 819,100-node forest within a 256 MB heap', () => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', join(root, 'bench/ml/onnx-memory.ts'), '--trees', '100', '--depth', '12'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { nodes: number; onnxBytes: number };
    expect(out.nodes).toBe(819_100);
    // About 30 bytes per node: the encoding, not a copy per value.
    expect(out.onnxBytes).toBeGreaterThan(819_100 * 20);
    expect(out.onnxBytes).toBeLessThan(819_100 * 40);
  }, 120_000);
});
