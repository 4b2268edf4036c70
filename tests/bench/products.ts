/**
 * Each matMul of a `cpu`-preset training step (width 128, 4 heads, context 64, batch 12 — 768
 * rows), timed alone on wasm in Node against the f32x4 FMA peak of the same threads, measured
 * in the same sitting. Not a test; nothing asserted. It says where the step's time goes when
 * `peakFraction` is low: the kernel itself (compare FOLIO_THREADS=1 against the one-thread
 * peak) or the split across threads (the copies into the helpers' shared memory, `copy`).
 *
 *   FOLIO_THREADS=2 node --experimental-wasm-relaxed-simd --import tsx tests/bench/products.ts
 */
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from '../../src/cli/nodeBackend';
import { gemmCopyMs } from '../../src/kernels/threads/gemmThreads';
import { mm } from '../../src/model/ops';
import { measurePeakGflops, nodePeakSpawner } from './wasmPeak';

await useNodeBackend('wasm');
const threads = Number(process.env.FOLIO_THREADS) || 2;
const peak = await measurePeakGflops(threads, await nodePeakSpawner());
const [BT, C, G, T, hs] = [768, 128, 48, 64, 32]; // rows, width, batch·heads, context, head size

// name, A's shape, B's shape, transposeA, transposeB — as ops.ts asks for them
const products: [string, number[], number[], boolean, boolean][] = [
  ['qkv', [BT, C], [C, 3 * C], false, false],
  ['attention out', [BT, C], [C, C], false, false],
  ['mlp up', [BT, C], [C, 4 * C], false, false],
  ['mlp down', [BT, 4 * C], [4 * C, C], false, false],
  ['qkv dX', [BT, 3 * C], [C, 3 * C], false, true],
  ['mlp up dX', [BT, 4 * C], [C, 4 * C], false, true],
  ['mlp down dX', [BT, C], [4 * C, C], false, true],
  ['qkv dW', [BT, C], [BT, 3 * C], true, false],
  ['mlp up dW', [BT, C], [BT, 4 * C], true, false],
  ['mlp down dW', [BT, 4 * C], [BT, C], true, false],
  ['scores Q·Kᵀ', [G, T, hs], [G, hs, T], false, false],
  ['weights·V', [G, T, T], [G, T, hs], false, false],
  ['dK (Aᵀ)', [G, T, T], [G, T, hs], true, false],
];
console.log(`wasm, ${threads} thread(s), peak ${peak.toFixed(1)} GFLOP/s`);
console.log('| product | G×M×K×N | ms | GFLOP/s | share of peak | copy ms |\n|---|---|---|---|---|---|');
for (const [name, as, bs, ta, tb] of products) {
  const [a, b] = [tf.randomNormal(as, 0, 1, 'float32', 1), tf.randomNormal(bs, 0, 1, 'float32', 2)];
  const r = as.length;
  const [M, K] = ta ? [as[r - 1]!, as[r - 2]!] : [as[r - 2]!, as[r - 1]!];
  const N = tb ? bs[r - 2]! : bs[r - 1]!;
  const g = r === 3 ? as[0]! : 1;
  const flop = 2 * g * M * K * N;
  for (let i = 0; i < 5; i++) tf.tidy(() => mm(a, b, ta, tb)).dataSync(); // warm up
  const reps = Math.max(10, Math.round(3e9 / flop));
  const copy0 = gemmCopyMs();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => mm(a, b, ta, tb)).dispose();
  const ms = (performance.now() - t0) / reps;
  const copy = (gemmCopyMs() - copy0) / reps;
  const gflops = flop / ms / 1e6;
  console.log(`| ${name} | ${g}×${M}×${K}×${N} | ${ms.toFixed(3)} | ${gflops.toFixed(1)} | ${((gflops / peak) * 100).toFixed(0)} % | ${copy.toFixed(3)} |`);
  tf.dispose([a, b]);
}
process.exit(0); // the helper threads are unref'd, but tfjs's timers are not
