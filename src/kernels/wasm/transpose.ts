/**
 * `FolioTransposeLast`: the last two axes swapped on the SIMD module (asm/transpose.ts),
 * 4×4 blocks in registers. It serves the model's explicit transposes (model/ops.ts `mm`:
 * weights before dX = dY·Wᵀ, keys before q·kᵀ, values before the attention gradient), 26 in
 * a `cpu`-preset step, which tfjs-wasm's Transpose ran at ~0.14 ms each.
 *
 * No gradient: `mm` is only called inside gradients written out by hand.
 */
import type * as tf from '@tensorflow/tfjs';
import { has } from '../has';
import { wasmKernel } from './kernels';

export const TRANSPOSE_LAST = 'FolioTransposeLast';

/** Whether Folio's kernel can swap the last two axes of this float32 tensor (both multiples of 4). */
export function canTransposeLast(x: tf.Tensor): boolean {
  const r = x.rank;
  return r >= 2 && x.dtype === 'float32' && x.shape[r - 2]! % 4 === 0 && x.shape[r - 1]! % 4 === 0 && has(TRANSPOSE_LAST);
}

export const transposeLastConfig = wasmKernel(TRANSPOSE_LAST, ({ x }, _attrs, { k, at, out }) => {
  const r = x!.shape.length;
  const [R, C] = [x!.shape[r - 2]!, x!.shape[r - 1]!];
  const o = out([...x!.shape.slice(0, r - 2), C, R]);
  k.transpose(
    at(x!),
    at(o),
    x!.shape.slice(0, r - 2).reduce((p, q) => p * q, 1),
    R,
    C,
  );
  return o;
});
