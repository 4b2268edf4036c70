/**
 * Nothing in a training step reads back from the backend: 50 steps with the losses read every
 * 10 (as the worker does with logEvery = 10) make exactly 5 reads — the batched loss reads —
 * on the cpu and wasm backends, for the fast and the reference formulation. (WebGPU's count,
 * whole-step engine included, is tests/browser/webgpuKernels.test.ts.)
 *
 * A read is a point where JavaScript waits for the backend's data: the backend's async `read`
 * (what `data()` does), or a synchronous `dataSync`/`arraySync`/`bufferSync` on a tensor. (The
 * cpu and wasm backends' own kernels call `backend.readSync` to reach their inputs in memory;
 * that is not a wait, and is not counted here. On WebGPU every readSync is one, and is.)
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createGPT, disposeGPT, type Formulation } from '../../src/model/gpt';
import { Trainer } from '../../src/train/trainer';
import { Rng } from '../../src/util/rng';
import { backend, tinyConfig, tinyTrain } from '../helpers';

afterAll(() => backend('cpu'));

type Reader = { read: (id: object) => Promise<unknown> };
type SyncReads = Record<'dataSync' | 'arraySync' | 'bufferSync', (...a: unknown[]) => unknown>;

/** Run `body` counting reads: the backend's async `read`, and tensors' synchronous reads. */
async function countReads(body: () => Promise<void>): Promise<number> {
  const be = tf.backend() as unknown as Reader;
  const proto = tf.Tensor.prototype as unknown as SyncReads;
  const { read } = be;
  const syncs: SyncReads = { dataSync: proto.dataSync, arraySync: proto.arraySync, bufferSync: proto.bufferSync }; // (class methods: not enumerable)
  let n = 0;
  be.read = (id) => (n++, read.call(be, id));
  for (const k of ['dataSync', 'arraySync', 'bufferSync'] as const)
    proto[k] = function (this: unknown, ...a: unknown[]) {
      n++;
      return syncs[k].apply(this, a);
    };
  try {
    await body();
  } finally {
    be.read = read;
    Object.assign(proto, syncs);
  }
  return n;
}

describe('backend syncs while training', () => {
  it('the counter sees a dataSync and a data()', async () => {
    await backend('wasm');
    const t = tf.scalar(2);
    expect(await countReads(async () => void (t.dataSync(), await t.data()))).toBe(2);
    t.dispose();
  });

  it.each([
    ['cpu', 'fast'],
    ['cpu', 'reference'],
    ['wasm', 'fast'],
    ['wasm', 'reference'],
  ] as const)(
    '%s, %s formulation: 50 steps read back 5 times',
    async (name, formulation: Formulation) => {
      await backend(name);
      const rng = new Rng(3);
      const stream = Int32Array.from({ length: 3000 }, () => rng.int(19));
      const model = createGPT(tinyConfig(19), 1);
      const trainer = new Trainer(model, { train: stream, val: stream }, tinyTrain({ batchSize: 3 }), 0, formulation);
      trainer.trainStep(); // the first step compiles and allocates; its loss is read with the first ten
      const losses: number[] = [];
      const reads = await countReads(async () => {
        for (let step = 2; step <= 51; step++) {
          trainer.trainStep();
          if (step % 10 === 1) losses.push(...(await trainer.readLosses()).map((p) => p.loss));
        }
      });
      expect(losses).toHaveLength(51);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(reads).toBe(5);
      trainer.dispose();
      disposeGPT(model);
    },
    120_000,
  );
});
