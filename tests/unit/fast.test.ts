/**
 * The fast formulation (model/ops.ts, kernels/) must compute what the straightforward
 * one computes: same losses, gradients and weights within 1e-4, on cpu and on wasm,
 * against the reference formulation on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { SizedModelConfig } from '../../src/config';
import { Rng } from '../../src/util/rng';
import { createGPT, disposeGPT, forward, type Formulation } from '../../src/model/gpt';
import * as ops from '../../src/model/ops';
import { gemmPool } from '../../src/kernels/threads/gemmThreads';
import { batchMatMul, canBatchMatMul } from '../../src/kernels/wasm/kernels';
import { TRANSPOSE_LAST, canTransposeLast } from '../../src/kernels/wasm/transpose';
import { CAUSAL_SOFTMAX } from '../../src/kernels/causalSoftmax';
import { has } from '../../src/kernels';
import { instantiateKernels, kernelModuleBytes, supportsFma } from '../../src/kernels/wasm/module';
import { AdamW } from '../../src/train/adamw';
import { Trainer } from '../../src/train/trainer';
import { backend, tinyTrain } from '../helpers';

afterAll(() => backend('cpu'));

const V = 23;
const stream = (() => {
  const rng = new Rng(7);
  return Int32Array.from({ length: 4000 }, () => rng.int(V));
})();
const data = { train: stream, val: stream.slice(0, 1000) };

interface Run {
  losses: number[];
  gradNorms: number[];
  weights: Float32Array[];
}

async function train(cfg: SizedModelConfig, formulation: Formulation, steps: number): Promise<Run> {
  const model = createGPT(cfg, 3);
  const tr = new Trainer(model, data, tinyTrain({ seed: 5, batchSize: 3, gradClip: 1 }), 0, formulation);
  for (let i = 0; i < steps; i++) tr.trainStep();
  const read = await tr.readLosses();
  const weights = await Promise.all(model.named.map(async (p) => (await p.variable.data()) as Float32Array));
  tr.dispose();
  disposeGPT(model);
  return { losses: read.map((r) => r.loss), gradNorms: read.map((r) => r.gradNorm), weights };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
}

const configs: Record<string, SizedModelConfig> = {
  // head size 16 and context 16: attention runs on Folio's SIMD kernel on wasm
  kernelShapes: { nLayer: 2, nHead: 2, nEmbd: 32, blockSize: 16, dropout: 0, vocabSize: V },
  // head size 12, context 10: shapes the kernel does not take, so stock matMuls
  oddShapes: { nLayer: 1, nHead: 2, nEmbd: 24, blockSize: 10, dropout: 0, vocabSize: V },
};

describe.each(Object.entries(configs))('fast formulation = reference (%s)', (_name, cfg) => {
  let reference: Run;

  it('reference on cpu trains (the baseline)', async () => {
    await backend('cpu');
    reference = await train(cfg, 'reference', 6);
    // random tokens: the loss starts and stays near ln V, and the weights moved
    for (const l of reference.losses) expect(Math.abs(l - Math.log(V))).toBeLessThan(0.3);
    const start = createGPT(cfg, 3);
    const moved = Math.max(...(await start.named[0]!.variable.data()).map((x, i) => Math.abs(x - reference.weights[0]![i]!)));
    disposeGPT(start);
    expect(moved).toBeGreaterThan(1e-3);
  });

  it.each(['cpu', 'wasm'] as const)('fast on %s: losses, gradient norms and weights within 1e-4 after 6 steps', async (name) => {
    await backend(name);
    const fast = await train(cfg, 'fast', 6);
    expectClose(fast.losses, reference.losses);
    expectClose(fast.gradNorms, reference.gradNorms);
    reference.weights.forEach((w, i) => expectClose(fast.weights[i]!, w));
  });
});

describe('fast formulation on wasm', () => {
  it('gives the same logits and attention as the reference (forward pass, prompt shorter than the context)', async () => {
    await backend('wasm');
    const cfg = configs.kernelShapes!;
    const model = createGPT(cfg, 11);
    const idx = tf.tensor2d(
      [
        [1, 2, 3, 4, 5, 6, 7, 8],
        [8, 7, 6, 5, 4, 3, 2, 1],
      ],
      [2, 8],
      'int32',
    );
    const run = (formulation: Formulation) =>
      tf.tidy(() => {
        const { logits, attention } = forward(model, idx, { formulation, returnAttention: true });
        return [logits, ...attention!].map((t) => t.dataSync());
      });
    const [a, b] = [run('fast'), run('reference')];
    a.forEach((x, i) => expectClose(x, b[i]!, 1e-5));
    idx.dispose();
    disposeGPT(model);
  });

  it('keeps the tensor count flat across steps (every kernel output is freed)', async () => {
    await backend('wasm');
    const model = createGPT(configs.kernelShapes!, 1);
    const tr = new Trainer(model, data, tinyTrain({ batchSize: 2 }));
    tr.trainStep();
    await tr.readLosses();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tr.trainStep();
    await tr.readLosses();
    expect(tf.memory().numTensors).toBe(before);
    tr.dispose();
    disposeGPT(model);
  });
});

describe('wasm kernels', () => {
  it('causal softmax and its gradient equal the stock scale, mask and softmax (SIMD rows, and the loop for odd lengths)', async () => {
    await backend('wasm');
    expect(has(CAUSAL_SOFTMAX)).toBe(true);
    for (const [G, T] of [
      [3, 8],
      [2, 64],
      [2, 6],
    ] as const) {
      const rng = new Rng(G * 7 + T);
      const x = tf.tensor4d(
        Float32Array.from({ length: G * T * T }, () => 4 * rng.normal()),
        [1, G, T, T],
      );
      const dy = tf.tensor4d(
        Float32Array.from({ length: G * T * T }, () => rng.normal()),
        [1, G, T, T],
      );
      const mask = tf.tensor2d(
        Float32Array.from({ length: T * T }, (_, k) => (k % T > Math.floor(k / T) ? -1e9 : 0)),
        [T, T],
      );
      const scale = 1 / Math.sqrt(32);
      const stock = (t: tf.Tensor) => tf.softmax(tf.add(tf.mul(t, scale), mask));
      const ours = (t: tf.Tensor) => ops.causalSoftmax(t as tf.Tensor4D, scale, mask);
      const [y1, y2] = [ours(x), stock(x)];
      const [g1, g2] = [tf.grad((t) => tf.sum(tf.mul(ours(t), dy)))(x), tf.grad((t) => tf.sum(tf.mul(stock(t), dy)))(x)];
      const maxDiff = async (a: tf.Tensor, b: tf.Tensor) =>
        tf
          .max(tf.abs(tf.sub(a, b)))
          .data()
          .then((d) => d[0]!);
      expect(await maxDiff(y1, y2)).toBeLessThan(1e-6);
      expect(await maxDiff(g1, g2)).toBeLessThan(1e-6);
      const above = (await y1.data()).filter((_, k) => k % T > Math.floor(k / T) % T); // past the diagonal
      expect(above.every((v) => v === 0)).toBe(true);
      tf.dispose([x, dy, mask, y1, y2, g1, g2]);
    }
  });
  it('swaps the last two axes as tf.transpose does (4×4 SIMD blocks), and leaves odd shapes to tfjs', async () => {
    await backend('wasm');
    for (const shape of [
      [4, 8],
      [12, 4],
      [128, 384],
      [2, 3, 8, 4],
      [12, 4, 64, 32],
    ]) {
      const rng = new Rng(shape.length * 31 + shape[shape.length - 1]!);
      const x = tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
        shape,
      );
      expect(canTransposeLast(x)).toBe(true);
      const perm = [...shape.keys()];
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
      const ours = tf.engine().runKernel(TRANSPOSE_LAST, { x }, {}) as tf.Tensor;
      const stock = tf.transpose(x, perm);
      expect(ours.shape).toEqual(stock.shape);
      expect(Array.from(await ours.data())).toEqual(Array.from(await stock.data()));
      tf.dispose([x, ours, stock]);
    }
    const odd = tf.zeros([65, 128]);
    expect(canTransposeLast(odd)).toBe(false); // the vocabulary's 65 rows: tfjs's Transpose
    odd.dispose();
  });
  it('split heads and merge them back as the stock reshape and transpose do (SIMD moves, and the loop for odd head sizes)', async () => {
    await backend('wasm');
    for (const [B, T, P, heads, hs] of [
      [2, 3, 3, 2, 8], // the SIMD module: hs % 4 = 0
      [2, 5, 1, 4, 4],
      [1, 3, 3, 2, 6], // hs = 6: the JavaScript loop
    ] as const) {
      const rng = new Rng(B * 100 + hs);
      const x = tf.tensor2d(
        Float32Array.from({ length: B * T * P * heads * hs }, () => rng.normal()),
        [B * T, P * heads * hs],
      );
      const parts = ops.splitHeads(x, B, T, P, heads);
      const expected = tf.split(x, P, 1).map((t) => tf.transpose(tf.reshape(t, [B, T, heads, hs]), [0, 2, 1, 3]));
      for (let p = 0; p < P; p++) expect(Array.from(await parts[p]!.data())).toEqual(Array.from(await expected[p]!.data()));
      const merged = ops.mergeHeads(parts, B, T);
      expect(merged.shape).toEqual(x.shape);
      expect(Array.from(await merged.data())).toEqual(Array.from(await x.data()));
      tf.dispose([x, ...parts, ...expected, merged]);
    }
  });
  it('clones share the data instead of copying it (Identity), and each reference lives on its own', async () => {
    await backend('wasm');
    const be = tf.engine().backend as unknown as { refCount(d: object): number; numDataIds(): number };
    const buffersBefore = be.numDataIds();
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.engine().runKernel('Identity', { x }, {}) as tf.Tensor;
    expect(be.numDataIds()).toBe(buffersBefore + 1); // one buffer, two tensors
    expect(be.refCount(x.dataId)).toBe(2);
    x.dispose(); // the clone keeps the data
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(be.numDataIds()).toBe(buffersBefore); // and the last reference frees it
    // A custom gradient's saved tensors are such clones: its gradient still reads the right values.
    const w = tf.tidy(() => tf.variable(tf.tensor2d([[0.5], [-1]])));
    const g = tf.tidy(() => tf.variableGrads(() => tf.sum(ops.matMul(tf.tensor2d([[1, 2]]), w)) as tf.Scalar, [w]).grads[w.name]!);
    expect(Array.from(await g.data())).toEqual([1, 2]);
    tf.dispose([w, g]);
    expect(be.numDataIds()).toBe(buffersBefore);
  });
  it('assembles a valid WebAssembly module, with and without fused multiply-add, and both multiply right', () => {
    // vitest's execArgv turns relaxed SIMD on in Node 20, as it is in Chromium
    expect(supportsFma()).toBe(true);
    const [G, M, K, N] = [2, 8, 9, 16];
    for (const fma of [false, true]) {
      const bytes = kernelModuleBytes(undefined, fma);
      expect(WebAssembly.validate(bytes)).toBe(true);
      const memory = new WebAssembly.Memory({ initial: 1 });
      const k = instantiateKernels(memory, bytes)!;
      const f = new Float32Array(memory.buffer);
      const [A, B, C] = [0, G * M * K, G * M * K + G * K * N];
      for (let i = 0; i < C; i++) f[i] = Math.sin(i);
      k.batchMatMul(A * 4, B * 4, C * 4, 0, G, M, K, N, 4 * K, 4);
      for (let g = 0; g < G; g++) {
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let sum = 0;
            for (let q = 0; q < K; q++) sum += f[A + g * M * K + i * K + q]! * f[B + g * K * N + q * N + j]!;
            expect(Math.abs(f[C + g * M * N + i * N + j]! - sum)).toBeLessThan(1e-5);
          }
        }
      }
    }
  });

  it('FolioBatchMatMul equals tf.matMul on the cpu backend: plain, transposed A, with bias', async () => {
    const rng = new Rng(9);
    for (const [G, M, K, N] of [
      [1, 4, 1, 8],
      [3, 8, 5, 16],
      [48, 64, 32, 64],
      [2, 12, 7, 24],
      [1, 64, 96, 40],
      [2, 16, 600, 24], // K past one slice of the K-blocked loop (256), and not a multiple of it
      [1, 8, 512, 8], // exactly two slices
    ] as const) {
      for (const transposeA of [false, true]) {
        const aShape = transposeA ? [G, K, M] : [G, M, K];
        const av = Float32Array.from({ length: G * M * K }, () => rng.normal());
        const bv = Float32Array.from({ length: G * K * N }, () => rng.normal());
        const biasv = Float32Array.from({ length: N }, () => rng.normal());
        await backend('cpu');
        const expected = tf.tidy(() => {
          const p = tf.matMul(tf.tensor(av, aShape), tf.tensor3d(bv, [G, K, N]), transposeA);
          return [p.dataSync(), tf.add(p, tf.tensor1d(biasv)).dataSync()];
        });
        await backend('wasm');
        expect(canBatchMatMul(aShape, [G, K, N], transposeA)).toBe(true);
        const got = tf.tidy(() => {
          const [a, b] = [tf.tensor(av, aShape), tf.tensor3d(bv, [G, K, N])];
          return [batchMatMul(a, b, transposeA).dataSync(), batchMatMul(a, b, transposeA, tf.tensor1d(biasv)).dataSync()];
        });
        expectClose(got[0]!, expected[0]!, 1e-4 * Math.max(1, Math.sqrt(K / 100)));
        expectClose(got[1]!, expected[1]!, 1e-4 * Math.max(1, Math.sqrt(K / 100)));
      }
    }
    expect(canBatchMatMul([2, 6, 4], [2, 4, 8])).toBe(false); // M not a multiple of 4
    expect(canBatchMatMul([2, 8, 4], [2, 4, 12])).toBe(false); // N not a multiple of 8
    expect(canBatchMatMul([2, 8, 4], [1, 4, 8])).toBe(false); // broadcasting is left to tfjs
  });

  it('UnsortedSegmentSum on wasm sums rows into segments as the cpu backend does (gather gradient)', async () => {
    const x = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const ids = [2, 0, 2, 5]; // 5 is out of range: dropped, as in TensorFlow
    await backend('wasm');
    const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 4).arraySync());
    expect(got).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
      [0, 0],
    ]);
    // and tf.gather's gradient now runs on wasm
    const g = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([1, 1, 0], 'int32'))))(tf.ones([3, 2]))
        .arraySync(),
    );
    expect(g).toEqual([
      [1, 1],
      [2, 2],
      [0, 0],
    ]);
  });

  it('ops.mm routes a transposed product to an explicit transpose with the same result', async () => {
    await backend('wasm');
    const a = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tf.tensor2d([
      [1, 0, 2],
      [0, 1, 3],
    ]);
    expect(tf.tidy(() => ops.mm(a, b, false, true).arraySync())).toEqual([
      [7, 11],
      [16, 23],
    ]);
    expect(tf.tidy(() => ops.mm(a, a, true, false).arraySync())).toEqual([
      [17, 22, 27],
      [22, 29, 36],
      [27, 36, 45],
    ]);
    a.dispose();
    b.dispose();
  });
});

describe('FolioAdamW', () => {
  it('matches the stock-op AdamW on wasm (SIMD quads and the JavaScript tail) and on cpu', async () => {
    const rng = new Rng(4);
    const shapes = [[3, 5], [8], [130]]; // 15 (3 quads + 3), 8 (2 quads), 130
    const init = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()));
    const grads = init.map((w) => w.map(() => rng.normal() * 3));
    const run = (fused: boolean) => {
      const named = shapes.map((s, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor(init[i]!, s)), decay: i !== 1 }));
      const opt = new AdamW(named, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, gradClip: 1 }, fused);
      for (let step = 0; step < 3; step++) {
        tf.tidy(() => {
          opt.apply(
            new Map(
              named.map(
                (p, i) =>
                  [
                    p.name,
                    tf.tensor(
                      grads[i]!.map((g) => g * (step + 1)),
                      shapes[i],
                    ),
                  ] as const,
              ),
            ),
            0.01,
          );
        });
      }
      const out = named.map((p) => p.variable.dataSync().slice());
      const moments = [...opt.m.values(), ...opt.v.values()].map((t) => t.dataSync().slice());
      opt.dispose();
      named.forEach((p) => p.variable.dispose());
      return [...out, ...moments];
    };
    for (const name of ['wasm', 'cpu'] as const) {
      await backend(name);
      const [fused, stock] = [run(true), run(false)];
      fused.forEach((f, i) => expectClose(f, stock[i]!, 1e-6));
      // and the weights did move (the comparison is not between two no-ops)
      expect(Math.abs(fused[0]![0]! - init[0]![0]!)).toBeGreaterThan(1e-3);
    }
  });
});

describe('matMul on several threads (gemmThreads)', () => {
  it('starts one thread per core (at most 4) with the wasm backend, and splits big products without changing a bit', async () => {
    await backend('wasm');
    const cores = Math.min(4, os.availableParallelism());
    const pool = gemmPool();
    expect(pool?.threads ?? 1).toBe(cores);
    if (!pool) return; // a one-core machine: nothing to split
    expect(pool.worthIt({ G: 48, M: 64, K: 32, N: 64 })).toBe(false); // attention-sized: copying costs more than it saves
    const rng = new Rng(12);
    for (const [G, M, K, N, transposeA] of [
      [1, 256, 96, 128, false],
      [1, 128, 128, 256, true],
      [4, 128, 128, 128, false],
    ] as const) {
      expect(pool.worthIt({ G, M, K, N })).toBe(true);
      const aShape = transposeA ? [G, K, M] : [G, M, K];
      const [a, b, bias] = [
        tf.tensor(
          Float32Array.from({ length: G * M * K }, () => rng.normal()),
          aShape,
        ),
        tf.randomNormal([G, K, N], 0, 1, 'float32', 3),
        tf.randomNormal([N], 0, 1, 'float32', 4),
      ];
      const threaded = batchMatMul(a, b, transposeA, bias);
      const single = (() => {
        const worthIt = pool.worthIt;
        pool.worthIt = () => false;
        try {
          return batchMatMul(a, b, transposeA, bias);
        } finally {
          pool.worthIt = worthIt;
        }
      })();
      expect(Array.from(threaded.dataSync())).toEqual(Array.from(single.dataSync())); // same sums, same order
      const expected = tf.tidy(() => tf.add(tf.matMul(a, b, transposeA), bias));
      expectClose(threaded.dataSync(), expected.dataSync(), 1e-4);
      tf.dispose([a, b, bias, threaded, single, expected]);
    }
  });
});
