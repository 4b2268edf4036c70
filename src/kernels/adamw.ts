/**
 * `FolioAdamW`: one parameter's whole AdamW update as one kernel: its name, attributes and
 * maths. Here, beside the registry and not in a backend's folder, because all three
 * backends' kernels share them: cpu/adamw.ts (this loop), wasm/kernels.ts (SIMD, this loop
 * for the tail), webgpu/kernels.ts (WGSL).
 *
 * Why: written with stock ops, the update is ~12 kernels per parameter (scale, two
 * moment updates, bias corrections, sqrt, divide, decay, step) — ~600 launches per step
 * for a 4-layer GPT, each a full pass over memory, where the arithmetic is a few
 * nanoseconds per weight. One loop reads each weight, gradient and moment once.
 *
 * Inputs: param, grad, m, v (same shape, float32) and scale (scalar: the gradient-clip
 * factor, left on the device so nothing is read back). Outputs: new param, m, v.
 */
import type * as tf from '@tensorflow/tfjs';

export const ADAMW = 'FolioAdamW';

export interface AdamWAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  /** Bias corrections 1/(1 − β1ᵗ) and 1/(1 − β2ᵗ). */
  c1: number;
  c2: number;
  epsilon: number;
  /** Multiplier applied to the weight before the step: 1 − lr·weightDecay, or 1. */
  decay: number;
}

/** The update, element by element, in the same order of operations as the stock-op version. */
export function update(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  scale: number,
  a: AdamWAttrs,
  out: [Float32Array, Float32Array, Float32Array],
): void {
  const [po, mo, vo] = out;
  const { beta1: b1, beta2: b2, c1, c2, epsilon, lr, decay } = a;
  for (let i = 0; i < p.length; i++) {
    const gi = Math.fround(g[i]! * scale);
    const mi = Math.fround(Math.fround(m[i]! * b1) + Math.fround(gi * (1 - b1)));
    const vi = Math.fround(Math.fround(v[i]! * b2) + Math.fround(Math.fround(gi * gi) * (1 - b2)));
    const step = Math.fround(Math.fround(mi * c1) / Math.fround(Math.fround(Math.sqrt(Math.fround(vi * c2))) + epsilon));
    mo[i] = mi;
    vo[i] = vi;
    po[i] = Math.fround(p[i]! * decay) - Math.fround(step * lr);
  }
}

export type AdamWInputs = { param: tf.TensorInfo; grad: tf.TensorInfo; m: tf.TensorInfo; v: tf.TensorInfo; scale: tf.TensorInfo };
