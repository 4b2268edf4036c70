/**
 * The wasm kernels a large vocabulary's predictions run on must give tfjs's numbers:
 * `FolioTableProduct` (x·Wᵀ with the table read in place, kernels/wasm/tableProduct.ts) on one
 * thread and on the helper threads, for vocabularies that are not a multiple of 4, and the
 * products of a few rows padded for Folio's tiled kernel (model/ops.ts `affine`, `mm`) — both
 * against the cpu backend, and neither leaving a buffer behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { gemmPool } from '../../src/kernels/threads/gemmThreads';
import { TABLE_PRODUCT, canTableProduct } from '../../src/kernels/wasm/tableProduct';
import { affine, mm } from '../../src/model/ops';
import { Rng } from '../../src/util/rng';
import { backend } from '../helpers';

afterAll(() => backend('cpu'));

const rng = new Rng(11);
const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

function expectClose(got: Float32Array, want: Float32Array, tol: number) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(tol);
}

/** Runs `f` on the cpu backend and then on wasm, with the same values. */
async function both(f: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  await backend('cpu');
  const want = tf.tidy(f).dataSync() as Float32Array;
  await backend('wasm');
  const be = tf.backend() as unknown as { numDataIds(): number };
  const before = [tf.memory().numTensors, be.numDataIds()];
  const got = tf.tidy(() => {
    const t = f();
    return t.dataSync() as Float32Array;
  });
  expect([tf.memory().numTensors, be.numDataIds()]).toEqual(before); // scratch freed
  return [got, want];
}

describe('wasm kernels for a large vocabulary', () => {
  it('FolioTableProduct equals x·Wᵀ, on one thread and on the helpers, whatever N mod 4', async () => {
    for (const [lead, K, N] of [
      [[1], 64, 1027],
      [[5], 48, 203],
      [[3, 3], 32, 4099],
      [[24], 16, 333],
      [[80], 128, 2051], // enough rows that the helper threads take it
    ] as const) {
      const M = (lead as readonly number[]).reduce((x, y) => x * y, 1);
      const [xv, wv] = [values(M * K), values(N * K)];
      const [got, want] = await both(() => {
        const [x, w] = [tf.tensor(xv, [...lead, K]), tf.tensor2d(wv, [N, K])];
        if (tf.getBackend() === 'cpu') return tf.matMul(x.reshape([M, K]), w, false, true);
        return tf.engine().runKernel(TABLE_PRODUCT, { a: x, b: w }, {}) as tf.Tensor;
      });
      expectClose(got, want, 1e-5);
    }
    await backend('wasm');
    expect(gemmPool()?.worthIt({ G: 1, M: 2048, K: 128, N: 80 })).toBe(true);
  });

  it('routes only a few rows against a tall table to it (the tied head), and mm gives the same numbers', async () => {
    await backend('wasm');
    expect(canTableProduct([9, 768], [50257, 768])).toBe(true); // GPT-2's head, a beam of 9
    expect(canTableProduct([1, 9, 768], [50257, 768])).toBe(true);
    expect(canTableProduct([8, 128], [100, 128])).toBe(false); // a toy's head: copying it costs nothing
    expect(canTableProduct([4096, 768], [50257, 768])).toBe(false); // many rows: the copy is cheap beside the product
    expect(canTableProduct([9, 64], [50257, 768])).toBe(false); // not a product
    const [xv, wv] = [values(3 * 64), values(16411 * 64)];
    const [got, want] = await both(() => mm(tf.tensor2d(xv, [3, 64]), tf.tensor2d(wv, [16411, 64]), false, true));
    expectClose(got, want, 1e-5);
  });

  it('a few rows (not a multiple of 4), padded for the tiled kernel: x·W + b, and x·W', async () => {
    for (const M of [1, 2, 5, 9]) {
      const [xv, wv, bv] = [values(M * 32), values(32 * 48), values(48)];
      const [got, want] = await both(() => affine(tf.tensor2d(xv, [M, 32]), tf.tensor2d(wv, [32, 48]), tf.tensor1d(bv)));
      expectClose(got, want, 1e-5);
      const [prod, plain] = await both(() => mm(tf.tensor2d(xv, [M, 32]), tf.tensor2d(wv, [32, 48])));
      expectClose(prod, plain, 1e-5);
    }
  });
});
