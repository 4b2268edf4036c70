/**
 * Test page: Folio's WGSL GEMM (kernels/webgpu/gemm.ts) and the MLP half built on it
 * (ops.geluLinear), LayerNorm and column sums (kernels/webgpu/rows.ts), each against stock tfjs ops on the same WebGPU backend. Reports the
 * largest error of every case relative to the reference's largest magnitude, and the
 * tensor count before and after (nothing may leak).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { GEMM, gemm, type GemmAttrs } from '../../src/kernels/webgpu/gemm';
import { has, registerFolioKernels } from '../../src/kernels';
import { COLUMN_SUMS } from '../../src/kernels/webgpu/rows';
import { geluLinear, layerNorm, sumRows } from '../../src/model/ops';
import { createGPT, disposeGPT, forward } from '../../src/model/gpt';

export interface KernelCase {
  name: string;
  /** max |folio − stock| / max(1, max |stock|) */
  error: number;
}

declare global {
  interface Window {
    folioKernels: { ready: boolean; run: () => Promise<{ backend: string; registered: boolean; cases: KernelCase[]; leaked: number }> };
  }
}

const K = Math.sqrt(2 / Math.PI);
/** GELU as the reference model writes it (tanh form), so autodiff gives its gradient. */
const geluRef = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), K))));

/** Seeded normal values of a shape (tf.randomNormal with a seed is the same on every run). */
const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

async function relError(got: tf.Tensor, want: tf.Tensor): Promise<number> {
  const [d, m] = tf.tidy(() => [tf.max(tf.abs(tf.sub(got, want))), tf.max(tf.abs(want))]);
  const [diff, mag] = [(await d!.data())[0]!, (await m!.data())[0]!];
  tf.dispose([d!, m!]);
  return diff / Math.max(1, mag);
}

async function run() {
  await tf.setBackend('webgpu');
  registerFolioKernels('webgpu');
  await tf.ready();
  const before = tf.memory().numTensors;
  const cases: KernelCase[] = [];
  // Shapes off the tile grid (edges padded), both tile sizes (R = 2 below 32 tiles, 4 above).
  const shapes: [number, number, number][] = [
    [5, 7, 3],
    [37, 70, 19],
    [130, 200, 33],
    [300, 500, 40],
  ];
  let seed = 1;
  for (const [M, N, Kd] of shapes) {
    for (const attrs of [
      {},
      { transposeA: true },
      { transposeB: true },
      { transposeA: true, transposeB: true },
      { geluA: true },
      { transposeA: true, geluA: true },
      { transposeB: true, geluGradZ: true },
    ] as Partial<GemmAttrs>[]) {
      const a = rand(attrs.transposeA ? [Kd, M] : [M, Kd], seed++);
      const b = rand(attrs.transposeB ? [N, Kd] : [Kd, N], seed++);
      const bias = rand([N], seed++);
      const z = rand([M, N], seed++);
      const withBias = !attrs.geluGradZ;
      const got = gemm({ a, b, ...(withBias ? { bias } : {}), ...(attrs.geluGradZ ? { z } : {}) }, attrs);
      const want = tf.tidy(() => {
        const A = attrs.geluA ? geluRef(a) : a;
        let y = tf.matMul(A, b, attrs.transposeA, attrs.transposeB);
        if (withBias) y = tf.add(y, bias);
        if (attrs.geluGradZ) y = tf.mul(y, tf.grad((x: tf.Tensor) => tf.sum(geluRef(x)))(z));
        return y;
      });
      cases.push({ name: `gemm ${M}×${N}×${Kd} ${JSON.stringify(attrs)}`, error: await relError(got, want) });
      tf.dispose([a, b, bias, z, got, want]);
    }
  }
  // The MLP half and its three gradients, against autodiff through stock ops.
  for (const [N, H, C] of [
    [24, 64, 16],
    [768, 512, 128],
  ] as const) {
    const z = rand([N, H], seed++);
    const w = rand([H, C], seed++);
    const b = rand([C], seed++);
    const dy = rand([N, C], seed++);
    const mine = tf.tidy(() => {
      const g = tf.grads((zz: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(geluLinear(zz as tf.Tensor2D, ww, bb), dy)));
      return [geluLinear(z as tf.Tensor2D, w, b), ...g([z, w, b])];
    });
    const ref = tf.tidy(() => {
      const f = (zz: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.add(tf.matMul(geluRef(zz), ww), bb);
      const g = tf.grads((zz: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(zz, ww, bb), dy)));
      return [f(z, w, b), ...g([z, w, b])];
    });
    const names = ['y', 'dz', 'dW', 'db'];
    for (let i = 0; i < 4; i++) cases.push({ name: `geluLinear ${N}×${H}→${C} ${names[i]}`, error: await relError(mine[i]!, ref[i]!) });
    tf.dispose([z, w, b, dy, ...mine, ...ref]);
  }
  // LayerNorm (two kernels forward, three backward) against autodiff through its formula.
  for (const [N, C] of [
    [37, 24],
    [300, 128],
    [5, 300],
  ] as const) {
    const x = tf.tidy(() => tf.add(tf.mul(rand([N, C], seed++), 3), 1.5)); // off-centre, not unit scale
    const g = rand([C], seed++);
    const b = rand([C], seed++);
    const dy = rand([N, C], seed++);
    const grads = (ln: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => [ln(x, g, b), ...tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ln(xx, gg, bb), dy)))([x, g, b])]);
    const mine = grads((xx, gg, bb) => layerNorm(xx as tf.Tensor2D, gg, bb));
    const ref = grads((xx, gg, bb) => {
      const { mean, variance } = tf.moments(xx, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, 1e-5))), gg), bb);
    });
    const names = ['y', 'dx', 'dg', 'db'];
    for (let i = 0; i < 4; i++) cases.push({ name: `layerNorm ${N}×${C} ${names[i]}`, error: await relError(mine[i]!, ref[i]!) });
    tf.dispose([x, g, b, dy, ...mine, ...ref]);
  }
  // Column sums (bias gradients), with more rows than a workgroup's lanes and columns.
  for (const [N, C] of [
    [1000, 70],
    [3, 5],
  ] as const) {
    const x = rand([N, C], seed++);
    const [got, want] = [sumRows(x), tf.sum(x, 0)];
    cases.push({ name: `sumRows ${N}×${C}`, error: await relError(got, want) });
    tf.dispose([x, got, want]);
  }
  // The KV cache (issue 17): logits after cached positions equal a full pass, on WebGPU's
  // path (stock concat/gather, the mask softmax for non-square scores).
  const model = createGPT({ nLayer: 1, nHead: 2, nEmbd: 16, blockSize: 8, dropout: 0, vocabSize: 11 }, 3);
  const ids = [
    [1, 2, 3, 4, 5, 6, 7],
    [7, 6, 5, 4, 3, 2, 1],
  ];
  const full = tf.tidy(() => forward(model, tf.tensor2d(ids, undefined, 'int32')).logits.slice([0, 6, 0], [2, 1, 11]));
  const kv = tf.tidy(() => {
    const { k, v } = forward(
      model,
      tf.tensor2d(
        ids.map((r) => r.slice(0, 5)),
        undefined,
        'int32',
      ),
      { returnCache: true },
    ).cache!;
    return [...k, ...v]; // one layer: its keys, its values
  }) as tf.Tensor4D[];
  const head = { k: [kv[0]!], v: [kv[1]!] };
  const after = tf.tidy(
    () =>
      forward(
        model,
        tf.tensor2d(
          ids.map((r) => r.slice(5)),
          undefined,
          'int32',
        ),
        { past: head, lastOnly: true },
      ).logits,
  );
  cases.push({ name: 'kv cache: 2 positions after 5', error: await relError(after, full) });
  const swapped = tf.tidy(() =>
    forward(model, tf.tensor2d(ids.map((r) => r.slice(5)).reverse(), undefined, 'int32'), {
      past: { k: head.k, v: head.v },
      pastRows: tf.tensor1d([1, 0], 'int32'),
      lastOnly: true,
    }).logits.reverse(0),
  );
  cases.push({ name: 'kv cache: rows continuing other rows', error: await relError(swapped, full) });
  tf.dispose([full, after, swapped, ...kv]);
  disposeGPT(model);
  return { backend: tf.getBackend(), registered: has(GEMM) && has(COLUMN_SUMS), cases, leaked: tf.memory().numTensors - before };
}

window.folioKernels = { ready: true, run };
