/**
 * Two ways to compute the same model, as two records of the operations a forward pass is
 * written in (`Ops`), so `forward` reads one line per step of a block, like nanoGPT's
 * `Block.forward`, whichever record it is given.
 *
 * - `referenceOps`: stock tfjs ops, every gradient from autodiff but the embedding's (a
 *   one-hot product, see `embedOneHot`) — easy to read and to trust.
 * - `fastOps` (ops.ts): hand-written gradients and Folio's kernels where the backend has
 *   them (fused LayerNorm, GEMM with GELU, heads split in one pass, …), avoiding the slow
 *   paths of the wasm/cpu kernels (transposed matMuls, Pow, dozens of tiny kernels per
 *   LayerNorm).
 *
 * Tests hold the two to the same losses and weights within 1e-4; the benchmark reports
 * the speed-up.
 */
import * as tf from '@tensorflow/tfjs';
import { has } from '../kernels';
import { GATHER_ROWS } from '../kernels/wasm/kernels';
import * as ops from './ops';

export type Formulation = 'fast' | 'reference';

/** A linear layer's parameters: x·w + b. */
export interface Affine {
  w: tf.Tensor; // (in, out)
  b: tf.Tensor; // (out)
}
/** A LayerNorm's gain and bias. */
export interface Norm {
  g: tf.Tensor; // (C)
  b: tf.Tensor; // (C)
}

export interface Ops {
  /** Token embedding lookup, (B, T) ids → (B, T, C). */
  embed(table: tf.Tensor, idx: tf.Tensor2D): tf.Tensor3D;
  linear(x: tf.Tensor2D, l: Affine): tf.Tensor2D;
  layerNorm(x: tf.Tensor2D, ln: Norm): tf.Tensor2D;
  matMul(a: tf.Tensor, b: tf.Tensor, transposeA?: boolean, transposeB?: boolean): tf.Tensor;
  /** (B·T, 3C) → q, k, v as (B, nh, T, hs) each. */
  splitHeads(qkv: tf.Tensor2D, B: number, T: number, heads: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  /** softmax(scores·scale) where each query sees only itself and earlier positions. */
  causalSoftmax(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D;
  /** (B, nh, T, hs) → (B·T, C), heads side by side again. */
  mergeHeads(y: tf.Tensor4D, B: number, T: number): tf.Tensor2D;
  /** l(gelu(z)): the MLP's second half. */
  geluLinear(z: tf.Tensor2D, l: Affine): tf.Tensor2D;
  /** Mean cross-entropy of logits (N, V) against the targets' one-hot rows (N, V). */
  crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar;
}

export const referenceOps: Ops = {
  embed: embedOneHot,
  linear: (x, l) => tf.add(tf.matMul(x, l.w), l.b),
  layerNorm(x, ln) {
    const { mean, variance } = tf.moments(x, -1, true); // (N, 1) each
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), ln.g), ln.b);
  },
  matMul: (a, b, ta = false, tb = false) => tf.matMul(a, b, ta, tb),
  splitHeads(qkv, B, T, heads) {
    const hs = qkv.shape[1] / (3 * heads);
    return tf.split(qkv, 3, 1).map((t) => t.reshape([B, T, heads, hs]).transpose([0, 2, 1, 3]) as tf.Tensor4D) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  },
  causalSoftmax: (scores, scale, mask) => tf.softmax(tf.add(tf.mul(scores, scale), mask)) as tf.Tensor4D,
  mergeHeads: (y, B, T) => y.transpose([0, 2, 1, 3]).reshape([B * T, y.shape[1] * y.shape[3]]) as tf.Tensor2D,
  geluLinear: (z, l) => referenceOps.linear(gelu(z), l),
  crossEntropy(logits, oneHot) {
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), -1); // log p(target)
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  },
};

export const fastOps: Ops = {
  embed: embedFast,
  linear: (x, l) => ops.linear(x, l.w, l.b),
  layerNorm: (x, ln) => ops.layerNorm(x, ln.g, ln.b),
  matMul: ops.matMul,
  splitHeads: (qkv, B, T, heads) => ops.splitHeads(qkv, B, T, 3, heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D], // one pass on wasm
  causalSoftmax: ops.causalSoftmax,
  mergeHeads: (y, B, T) => ops.mergeHeads([y], B, T),
  geluLinear: (z, l) => ops.geluLinear(z, l.w, l.b), // on WebGPU one kernel each way
  crossEntropy: ops.crossEntropy,
};

export function opsFor(f: Formulation = 'fast'): Ops {
  return f === 'fast' ? fastOps : referenceOps;
}

/** GELU, tanh approximation (as GPT-2). */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/**
 * One-hot rows as float32. Built as int32 and cast: tfjs-backend-wasm 4.22's OneHot
 * ignores a float32 dtype and writes integer bit patterns (all ~0 as floats).
 */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

/**
 * Token embedding lookup for the fast formulation: a plain `tf.gather`, whose gradient
 * is tfjs's own `UnsortedSegmentSum` (a scatter-add of dy's rows into the ids' rows).
 * tfjs's wasm backend has no such kernel in 4.22; Folio registers one, and copies the
 * rows with its own kernel (GATHER_ROWS, kernels/wasm/kernels.ts). Where neither exists,
 * the one-hot gradient.
 */
function embedFast(table: tf.Tensor, idx: tf.Tensor2D): tf.Tensor3D {
  // The cpu backend has the kernel, but it is a slow one (~1 s of a `cpu`-preset step):
  // the one-hot product is faster there.
  if (tf.getBackend() === 'cpu' || !has('UnsortedSegmentSum')) return embedOneHot(table, idx);
  const [B, T] = idx.shape;
  const C = table.shape[1]!;
  const ids = idx.reshape([B * T]);
  const rows = has(GATHER_ROWS) ? (tf.engine().runKernel(GATHER_ROWS, { table, ids }, {}) as tf.Tensor) : tf.gather(table, ids);
  return rows.reshape([B, T, C]) as tf.Tensor3D;
}

/**
 * Token embedding lookup, (B, T) ids → (B, T, C).
 *
 * The forward pass is `tf.gather`. Its stock gradient needs the `UnsortedSegmentSum`
 * kernel, which tfjs's wasm backend lacks (Folio registers one, used by `embedFast` only)
 * and the cpu backend runs slowly (a third of a `nano` step). So the gradient is written
 * out as a one-hot product, dW = onehot(ids)ᵀ · dy — the same sum, from ops every
 * backend has and runs fast.
 */
function embedOneHot(table: tf.Tensor, idx: tf.Tensor2D): tf.Tensor3D {
  const [B, T] = idx.shape;
  const [V, C] = table.shape as [number, number];
  const flat = idx.reshape([B * T]) as tf.Tensor1D;
  // customGrad's typing takes (...inputs, save) as one rest parameter.
  const lookup = tf.customGrad(((w: tf.Tensor, ids: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ids]);
    return {
      value: tf.gather(w as tf.Tensor2D, ids as tf.Tensor1D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const oneHot = oneHotFloat(saved[0] as tf.Tensor1D, V); // (B·T, V)
        return [ops.mm(oneHot, dy, true, false), tf.zerosLike(saved[0]!)]; // (V, C)
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (lookup(table, flat) as tf.Tensor2D).reshape([B, T, C]) as tf.Tensor3D;
}
