/**
 * The model's building blocks written for speed, each with a hand-derived gradient.
 *
 * Why this file exists: the straightforward GPT (gpt.ts with `formulation: 'reference'`)
 * leaves every gradient to tfjs's autodiff, and the gradient of `C = A·B` is
 * `dA = dC·Bᵀ`, `dB = Aᵀ·dC` — matMuls with `transposeA`/`transposeB` set. On the wasm
 * backend only the plain form runs on XNNPACK's fast GEMM; a transposed one falls back
 * to a scalar loop that is 10× slower (measured: 67 ms vs 5.8 ms for a 512×768·768×128
 * product). So here a transposed product is an explicit `transpose` (a cheap copy)
 * followed by a plain matMul, on the backends where that is faster (wasm, cpu). GPU
 * backends read a transposed operand for free, so they keep the flags.
 *
 * The other blocks (linear, LayerNorm, GELU, cross-entropy) get closed-form gradients:
 * autodiff through their formulas records a dozen small kernels each, and on the wasm
 * and cpu backends each kernel launch costs more than the arithmetic it does.
 *
 * Every function here computes the same numbers as the reference formulation (tests
 * compare them to 1e-4). Call inside tf.tidy / tf.variableGrads like any tfjs op.
 */
import * as tf from '@tensorflow/tfjs';
import { GEMM, gemm } from '../kernels/webgpu/gemm';
import { CAUSAL_SOFTMAX } from '../kernels/causalSoftmax';
import { COLUMN_SUMS, LAYER_NORM_DX, LAYER_NORM_OUT, ROW_STATS } from '../kernels/webgpu/rows';
import { has } from '../kernels';
import { APPEND_PAST, SMALL_MATMUL, canSmallMatMul } from '../kernels/wasm/cache';
import { TABLE_PRODUCT, canTableProduct } from '../kernels/wasm/tableProduct';
import { TRANSPOSE_LAST, canTransposeLast } from '../kernels/wasm/transpose';
import {
  GELU_ARG,
  GELU_GRAD,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  MERGE_HEADS,
  SPLIT_HEADS,
  SUM_ROWS,
  batchMatMul,
  canBatchMatMul,
  canRowKernels,
} from '../kernels/wasm/kernels';

/** Backends whose matMul kernel is only fast without transpose flags. */
const EXPLICIT_TRANSPOSE_BACKENDS = new Set(['wasm', 'cpu']);

/** Swap the last two axes (a 2D transpose, or a batched one): on wasm Folio's SIMD kernel where the shape suits it. */
function swapLast(x: tf.Tensor): tf.Tensor {
  if (canTransposeLast(x)) return tf.engine().runKernel(TRANSPOSE_LAST, { x }, {}) as tf.Tensor;
  const r = x.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * `tf.matMul(a, b, transposeA, transposeB)`, routed to the fast form for the current
 * backend. No gradient of its own is needed: it is only called inside gradients and
 * inside `matMul` below, whose gradient is written out.
 */
export function mm(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  if (!EXPLICIT_TRANSPOSE_BACKENDS.has(tf.getBackend())) return tf.matMul(a, b, transposeA, transposeB);
  // Small batched products the tiled kernel cannot take (one query row after a KV cache):
  // a plain loop on wasm that reads b transposed in place (kernels/wasm/cache.ts).
  if (!transposeA && canSmallMatMul(a.shape, b.shape, transposeB, has(SMALL_MATMUL))) {
    return tf.engine().runKernel(SMALL_MATMUL, { a, b }, { transposeB });
  }
  // A few rows against a tall table (the tied head over a large vocabulary): W read in place,
  // never copied transposed (kernels/wasm/tableProduct.ts).
  if (!transposeA && transposeB && canTableProduct(a.shape, b.shape)) return tf.engine().runKernel(TABLE_PRODUCT, { a, b }, {});
  const B = transposeB ? swapLast(b) : b;
  // On wasm, Folio's SIMD kernel (kernels/wasm/kernels.ts) where the shapes suit it: it
  // reads a transposed left operand in place, and it runs batched products (attention)
  // that the stock kernel runs as a scalar loop.
  if (canBatchMatMul(a.shape, B.shape, transposeA)) return batchMatMul(a, B, transposeA);
  if (!transposeA && canPadRows(a, B)) return padRows(a, (x) => batchMatMul(x, B)); // e.g. the head's gradient at a few positions
  return tf.matMul(transposeA ? swapLast(a) : a, B);
}

/** Whether x (M, K)·w fits Folio's tiled kernel once x's rows are padded to a multiple of 4. */
function canPadRows(x: tf.Tensor, w: tf.Tensor): boolean {
  return x.rank === 2 && canBatchMatMul([Math.ceil(x.shape[0]! / 4) * 4, x.shape[1]!], w.shape);
}

/** f(x) with x's rows padded with zeros to a multiple of 4, the padding's rows dropped from the result. */
function padRows(x: tf.Tensor, f: (padded: tf.Tensor) => tf.Tensor): tf.Tensor2D {
  const [M, K] = x.shape as [number, number];
  const padded = tf.concat([x, tf.zeros([Math.ceil(M / 4) * 4 - M, K])]);
  return tf.slice(f(padded), [0, 0], [M, -1]) as tf.Tensor2D;
}

/** Σ over the rows of a (N, C) tensor: one Folio kernel on wasm and WebGPU, else tf.sum(x, 0). */
export function sumRows(x: tf.Tensor): tf.Tensor {
  const C = x.shape[x.rank - 1]!;
  if (canRowKernels(C)) return tf.engine().runKernel(SUM_ROWS, { x }, {}) as tf.Tensor;
  if (has(COLUMN_SUMS)) return tf.engine().runKernel(COLUMN_SUMS, { dy: x }, {}) as tf.Tensor;
  return tf.sum(x, 0);
}

// tf.customGrad's typing takes (...inputs, save) as one rest parameter; this cast
// keeps each use below readable.
type GradFn = (...args: tf.Tensor[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };
const customGrad = (f: (...args: never[]) => ReturnType<GradFn>) =>
  tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;

/**
 * A matMul (2D or batched) whose gradient uses only `mm`, so the backward pass never
 * asks the backend for a transposed product it runs slowly.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  const f = customGrad((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: mm(x, y, transposeA, transposeB),
      gradFunc: (dy: tf.Tensor, [A, B]: tf.Tensor[]) => {
        // The four cases of d(op(A)·op(B)), as in tfjs's own BatchMatMul gradient.
        if (!transposeA && !transposeB) return [mm(dy, B!, false, true), mm(A!, dy, true, false)];
        if (!transposeA && transposeB) return [mm(dy, B!), mm(dy, A!, true, false)];
        if (transposeA && !transposeB) return [mm(B!, dy, false, true), mm(A!, dy)];
        return [mm(B!, dy, true, true), mm(dy, A!, true, true)];
      },
    };
  });
  return f(a, b);
}

/**
 * x·W + b in one fused kernel (the bias added in the same pass): Folio's tiled kernel on
 * wasm, else the backend's fused matMul (XNNPACK's fully-connected op on wasm). A few rows
 * that are not a multiple of 4 (a KV cache's beam: 9 branches, one token each) are padded
 * with zero rows for Folio's kernel: XNNPACK packs a copy of every weight it meets (seconds
 * and ~340 MB for GPT-2 small on first use), and with the weights out of cache it ran ~2×
 * slower than the padded product (GPT-2 small, 9 rows).
 */
export function affine(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (canBatchMatMul(x.shape, w.shape)) return batchMatMul(x, w, false, b) as tf.Tensor2D;
  if (canPadRows(x, w)) return padRows(x, (p) => batchMatMul(p, w, false, b));
  return tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }) as tf.Tensor2D;
}

/** y = x·W + b for x (N, in), W (in, out), b (out): the forward pass is `affine`. */
export function linear(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const f = customGrad((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, wi]);
    return {
      value: affine(xi, wi, bi),
      gradFunc: (dy: tf.Tensor, [X, W]: tf.Tensor[]) => [mm(dy, W!, false, true), mm(X!, dy, true, false), sumRows(dy)],
    };
  });
  return f(x, w, b) as tf.Tensor2D;
}

/**
 * LayerNorm over the last axis with gain g and bias b, eps 1e-5.
 * Gradient (x̂ = (x − μ)/σ, n = width):
 *   dx = (1/σ)·(d − mean(d) − x̂·mean(d·x̂)),  d = dy·g
 *   dg = Σ_rows dy·x̂,  db = Σ_rows dy
 */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (has(ROW_STATS)) return layerNormWebGPU(x, g, b);
  // On wasm, the forward and the backward pass are one SIMD kernel each (kernels/wasm/module.ts)
  // instead of ~10 stock kernels each.
  const fused = canRowKernels(x.shape[1]);
  const f = customGrad((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    let y: tf.Tensor, xhat: tf.Tensor, rstd: tf.Tensor;
    if (fused) {
      [y, xhat, rstd] = tf.engine().runKernel(LAYER_NORM, { x: xi, g: gi, b: bi }, { eps: 1e-5 }) as tf.Tensor[] as [tf.Tensor, tf.Tensor, tf.Tensor];
    } else {
      const { mean, variance } = tf.moments(xi, -1, true);
      rstd = tf.rsqrt(tf.add(variance, 1e-5)); // (N, 1)
      xhat = tf.mul(tf.sub(xi, mean), rstd);
      y = tf.add(tf.mul(xhat, gi), bi);
    }
    save([xhat, rstd, gi]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [xh, rs, gain]: tf.Tensor[]) => {
        if (fused) return tf.engine().runKernel(LAYER_NORM_GRAD, { dy, xhat: xh!, rstd: rs!, g: gain! }, {}) as tf.Tensor[];
        const d = tf.mul(dy, gain!);
        const dx = tf.mul(tf.sub(tf.sub(d, tf.mean(d, -1, true)), tf.mul(xh!, tf.mean(tf.mul(d, xh!), -1, true))), rs!);
        return [dx, sumRows(tf.mul(dy, xh!)), sumRows(dy)];
      },
    };
  });
  return f(x, g, b) as tf.Tensor2D;
}

/**
 * `layerNorm` on WebGPU (kernels/webgpu/rows.ts): two dispatches forward (row statistics,
 * then the normalised output) and three backward (dx per row; dg and db, a column pass each).
 * Keeps x and the (N, 2) statistics for the backward pass, and recomputes x̂ there.
 */
function layerNormWebGPU(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const run = (name: string, inputs: tf.NamedTensorMap, attrs = {}) => tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
  const f = customGrad((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    const stats = run(ROW_STATS, { x: xi }, { eps: 1e-5 });
    save([xi, stats, gi]);
    return {
      value: run(LAYER_NORM_OUT, { x: xi, stats, g: gi, b: bi }),
      gradFunc: (dy: tf.Tensor, [X, S, G]: tf.Tensor[]) => {
        const dg = run(COLUMN_SUMS, { dy, x: X!, stats: S! }); // Σ dy·x̂
        return [run(LAYER_NORM_DX, { dy, x: X!, stats: S!, g: G! }), dg, sumRows(dy)];
      },
    };
  });
  return f(x, g, b) as tf.Tensor2D;
}

const GELU_K = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (as GPT-2): 0.5·x·(1 + tanh(z)), z = k·(x + 0.044715·x³).
 * Written with the identity 0.5·(1 + tanh z) = sigmoid(2z), because on wasm Sigmoid is
 * XNNPACK's vectorised kernel and Tanh a scalar loop (7× slower). With s = sigmoid(2z):
 *   y = x·s,   dy/dx = s + x·s·(1 − s)·2k·(1 + 3·0.044715·x²)
 * (x·x·x, not pow(x, 3): Pow is also a slow kernel on wasm.)
 */
export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  // (On WebGPU the model never calls this: GELU is folded into the MLP's products, geluLinear.)
  // On wasm the arithmetic around the sigmoid is one SIMD pass each way (kernels/wasm/module.ts).
  const fused = canRowKernels(x.size);
  const f = customGrad((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const arg = fused
      ? (tf.engine().runKernel(GELU_ARG, { x: xi }, { c1: 2 * GELU_K, c2: 2 * GELU_K * 0.044715 }) as tf.Tensor)
      : tf.mul(tf.mul(xi, tf.add(tf.mul(tf.mul(xi, xi), 0.044715), 1)), 2 * GELU_K);
    const s = tf.sigmoid(arg);
    save([xi, s]);
    return {
      value: tf.mul(xi, s),
      gradFunc: (dy: tf.Tensor, [X, S]: tf.Tensor[]) => {
        if (fused) return tf.engine().runKernel(GELU_GRAD, { dy, x: X!, s: S! }, { a: 2 * GELU_K, b: 6 * 0.044715 * GELU_K }) as tf.Tensor;
        const slope = tf.mul(tf.mul(tf.mul(X!, S!), tf.sub(1, S!)), tf.add(tf.mul(tf.mul(X!, X!), 6 * 0.044715 * GELU_K), 2 * GELU_K));
        return tf.mul(dy, tf.add(S!, slope));
      },
    };
  });
  return f(x) as tf.Tensor2D;
}

/**
 * The MLP's second half, y = gelu(z)·W + b, for z (N, 4C) the first linear layer's output.
 * Gradient: dz = (dy·Wᵀ) ⊙ gelu′(z), dW = gelu(z)ᵀ·dy, db = Σ_rows dy.
 * On WebGPU, GELU is folded into the three products (kernels/webgpu/gemm.ts), so gelu(z)
 * is never stored and no GELU pass is dispatched; elsewhere it is `linear(gelu(z))`.
 */
export function geluLinear(z: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (!has(GEMM)) return linear(gelu(z), w, b);
  const f = customGrad((zi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([zi, wi]);
    return {
      value: gemm({ a: zi, b: wi, bias: bi }, { geluA: true }),
      gradFunc: (dy: tf.Tensor, [Z, W]: tf.Tensor[]) => [
        gemm({ a: dy, b: W!, z: Z! }, { transposeB: true, geluGradZ: true }),
        gemm({ a: Z!, b: dy }, { transposeA: true, geluA: true }),
        sumRows(dy),
      ],
    };
  });
  return f(z, w, b) as tf.Tensor2D;
}

/**
 * Mean cross-entropy of logits (N, V) against target ids (N), given the targets' one-hot
 * rows (N, V). Gradient: (softmax(logits) − onehot)/N — one pass instead of autodiff
 * through logSoftmax, the product with the one-hot and the two reductions.
 */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const n = logits.shape[0];
  const f = customGrad((l: tf.Tensor, oh: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(l);
    save([logp, oh]);
    return {
      value: tf.neg(tf.div(tf.sum(tf.mul(logp, oh)), n)),
      gradFunc: (dy: tf.Tensor, [lp, o]: tf.Tensor[]) => [tf.mul(tf.sub(tf.exp(lp!), o!), tf.div(dy, n)), tf.zerosLike(o!)],
    };
  });
  return f(logits, oneHot) as tf.Scalar;
}

/**
 * (B·T, P·C) rows → P tensors of (B, heads, T, hs): a linear layer's output cut into P
 * parts (q, k, v) and each part into heads. `mergeHeads` is the inverse. On wasm one
 * pass over memory each (kernels/wasm/kernels.ts, which registers each as the other's
 * gradient); elsewhere split, reshape and transpose.
 */
export function splitHeads(x: tf.Tensor2D, B: number, T: number, P: number, heads: number): tf.Tensor4D[] {
  if (has(SPLIT_HEADS)) return tf.engine().runKernel(SPLIT_HEADS, { x }, { B, T, P, heads }) as tf.Tensor[] as tf.Tensor4D[];
  const hs = x.shape[1] / (P * heads);
  return tf.split(x, P, 1).map((t) => tf.transpose(tf.reshape(t, [B, T, heads, hs]), [0, 2, 1, 3]) as tf.Tensor4D);
}

/** P tensors of (B, heads, T, hs) → (B·T, P·C), heads side by side: the inverse of `splitHeads`. */
export function mergeHeads(parts: tf.Tensor4D[], B: number, T: number): tf.Tensor2D {
  const P = parts.length;
  const heads = parts[0]!.shape[1];
  if (has(MERGE_HEADS)) {
    return tf.engine().runKernel(MERGE_HEADS, Object.fromEntries(parts.map((t, p) => [`x${p}`, t])), { B, T, P, heads }) as tf.Tensor2D;
  }
  const merged = parts.map((t) => tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [B * T, heads * t.shape[3]]));
  return (P === 1 ? merged[0]! : tf.concat(merged, 1)) as tf.Tensor2D;
}

/**
 * Attention weights: softmax(scores·scale) with each query seeing only itself and the
 * positions before it. `mask` is the additive −1e9 mask for the stock formulation. On
 * WebGPU one dispatch each way (kernels/webgpu/kernels.ts) for square scores (T, T);
 * elsewhere, and for queries after cached positions (T, P+T), multiply, add the mask, softmax.
 */
export function causalSoftmax(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D {
  if (has(CAUSAL_SOFTMAX) && scores.shape[2] === scores.shape[3]) return tf.engine().runKernel(CAUSAL_SOFTMAX, { x: scores }, { scale }) as tf.Tensor4D;
  return tf.softmax(tf.add(tf.mul(scores, scale), mask)) as tf.Tensor4D;
}

/**
 * The KV cache's append: each new row's keys (or values) are row `rows[r]` of `past`
 * followed by its own new positions. past (N, nh, P, hs), x (R, nh, T, hs) → (R, nh, P+T, hs).
 * Without `rows`, row r continues row r. On wasm one pass (kernels/wasm/cache.ts).
 */
export function appendPast(past: tf.Tensor4D, x: tf.Tensor4D, rows?: tf.Tensor1D): tf.Tensor4D {
  if (rows && has(APPEND_PAST)) return tf.engine().runKernel(APPEND_PAST, { past, rows, x }, {}) as tf.Tensor4D;
  return tf.concat([rows ? tf.gather(past, rows) : past, x], 2);
}
