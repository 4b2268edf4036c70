/**
 * The whole GPT in one file, after nanoGPT's model.py.
 *
 * A decoder-only transformer: token + learned position embeddings, `nLayer` pre-norm
 * blocks (causal multi-head self-attention, then a GELU MLP four times as wide), a
 * final LayerNorm, and an output head tied to the token embedding (the same matrix
 * reads tokens in and scores them out — fewer parameters, and it trains better).
 *
 * What this file is not: it knows nothing of training loops, optimizers, tokenizers or
 * the page. Parameters are plain `tf.Variable`s in a typed record; `forward` is a pure
 * function of (params, token ids). Every op here runs on the cpu, wasm, webgl and
 * webgpu backends (see `embed` for the one that needed care).
 */
import * as tf from '@tensorflow/tfjs';
import type { SizedModelConfig } from '../config';
import { Rng } from '../util/rng';
import { GATHER_ROWS } from '../kernels/wasmKernels';
import * as ops from './ops';

export interface Linear {
  w: tf.Variable; // (in, out)
  b: tf.Variable; // (out)
}

export interface LayerNorm {
  g: tf.Variable; // (C) gain, starts at 1
  b: tf.Variable; // (C) bias, starts at 0
}

export interface Block {
  ln1: LayerNorm;
  attn: { cAttn: Linear; cProj: Linear }; // cAttn: (C, 3C) makes q, k, v in one product
  ln2: LayerNorm;
  mlp: { cFc: Linear; cProj: Linear }; // (C, 4C) then (4C, C)
}

export interface GPTParams {
  wte: tf.Variable; // (V, C) token embedding, also the output head
  wpe: tf.Variable; // (blockSize, C) learned position embedding
  h: Block[];
  lnF: LayerNorm;
}

/** A parameter with a stable name (for checkpoints) and whether AdamW decays it. */
export interface NamedParam {
  name: string;
  variable: tf.Variable;
  /** Weight decay applies to matrices (embeddings, linear weights), never to biases or LayerNorm. */
  decay: boolean;
}

export interface GPT {
  config: SizedModelConfig;
  params: GPTParams;
  /** The same variables as `params`, flat and named, in a fixed order. */
  named: NamedParam[];
}

export interface ForwardOptions {
  /** Apply dropout (only matters when config.dropout > 0). */
  training?: boolean;
  /** Seed for dropout masks, e.g. derived from (run seed, step). */
  dropoutSeed?: number;
  /** Also return each layer's attention weights, (B, nHead, T, T) per layer. */
  returnAttention?: boolean;
  /** Which way to write the maths (see `Formulation`); 'fast' unless told. */
  formulation?: Formulation;
}

/**
 * Two ways to compute the same model. 'reference' is the straightforward one: stock
 * tfjs ops, every gradient from autodiff but the embedding's (a one-hot product, see
 * `embed`) — easy to read and to trust. 'fast' (ops.ts)
 * uses hand-written gradients that avoid the slow paths of the wasm/cpu kernels
 * (transposed matMuls, Pow, dozens of tiny kernels per LayerNorm). Tests hold the two
 * to the same losses and weights within 1e-4; the benchmark reports the speed-up.
 */
export type Formulation = 'fast' | 'reference';

export interface ForwardResult {
  logits: tf.Tensor3D; // (B, T, V)
  attention?: tf.Tensor4D[]; // [layer] (B, nh, T, T)
}

// ---------------------------------------------------------------------------------
// Construction

/**
 * GPT-2 initialisation: weights ~ N(0, 0.02); the two projections that write into the
 * residual stream (attention out, MLP out) use 0.02/√(2·nLayer), so the stream's
 * variance does not grow with depth. Biases 0, LayerNorm gains 1.
 * Values come from Folio's own seeded generator, so the same seed gives the same
 * weights on every backend (tfjs's random ops are not guaranteed to agree).
 */
export function createGPT(config: SizedModelConfig, seed: number): GPT {
  const { nLayer, nEmbd: C, blockSize, vocabSize: V } = config;
  const rng = new Rng(seed);
  const named: NamedParam[] = [];
  const std = 0.02;
  const residStd = 0.02 / Math.sqrt(2 * nLayer);

  const param = (name: string, shape: number[], init: 'normal' | 'zeros' | 'ones', s = std, decay = false) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === 'normal') for (let i = 0; i < size; i++) values[i] = rng.normal() * s;
    else if (init === 'ones') values.fill(1);
    // No explicit name: tfjs registers variable names globally, and two models alive at
    // once (e.g. a checkpoint being loaded) must not collide. Our names live in `named`.
    const initial = tf.tensor(values, shape, 'float32');
    const variable = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the data
    named.push({ name, variable, decay });
    return variable;
  };
  const linear = (name: string, nIn: number, nOut: number, s = std): Linear => ({
    w: param(`${name}.w`, [nIn, nOut], 'normal', s, true),
    b: param(`${name}.b`, [nOut], 'zeros'),
  });
  const layerNorm = (name: string): LayerNorm => ({
    g: param(`${name}.g`, [C], 'ones'),
    b: param(`${name}.b`, [C], 'zeros'),
  });

  const wte = param('wte', [V, C], 'normal', std, true);
  const wpe = param('wpe', [blockSize, C], 'normal', std, true);
  const h: Block[] = [];
  for (let l = 0; l < nLayer; l++) {
    h.push({
      ln1: layerNorm(`h.${l}.ln1`),
      attn: { cAttn: linear(`h.${l}.attn.cAttn`, C, 3 * C), cProj: linear(`h.${l}.attn.cProj`, C, C, residStd) },
      ln2: layerNorm(`h.${l}.ln2`),
      mlp: { cFc: linear(`h.${l}.mlp.cFc`, C, 4 * C), cProj: linear(`h.${l}.mlp.cProj`, 4 * C, C, residStd) },
    });
  }
  const lnF = layerNorm('lnF');
  return { config: { ...config }, params: { wte, wpe, h, lnF }, named };
}

export function disposeGPT(model: GPT): void {
  for (const p of model.named) p.variable.dispose();
}

/** Trainable parameters (the tied head counted once, as in nanoGPT). The formula lives in config.ts so the page can preview sizes without tfjs. */
export { paramCount } from '../config';

// ---------------------------------------------------------------------------------
// Forward

/**
 * Logits for every position: (B, T) token ids → (B, T, V). Works for any T ≤ blockSize;
 * position t only sees tokens 0..t (the causal mask), which is what lets one pass
 * train T next-token predictions at once.
 */
export function forward(model: GPT, idx: tf.Tensor2D, opts: ForwardOptions = {}): ForwardResult {
  const { nHead, nEmbd: C, blockSize, vocabSize: V, dropout } = model.config;
  const [B, T] = idx.shape;
  if (T > blockSize) throw new Error(`Sequence of ${T} tokens is longer than the context (${blockSize}).`);
  if (T < 1) throw new Error('Cannot run the model on an empty sequence.');
  const p = model.params;
  const hs = C / nHead;
  const drop = opts.training && dropout > 0;
  let site = 0; // each dropout call gets its own seed
  const maybeDropout = (x: tf.Tensor) =>
    drop ? tf.dropout(x, dropout, undefined, ((opts.dropoutSeed ?? 0) * 997 + site++) >>> 0) : x;

  const attention: tf.Tensor4D[] = [];
  const mask = causalMask(T); // (T, T): 0 on and below the diagonal, −1e9 above
  const fast = (opts.formulation ?? 'fast') === 'fast';
  // The same five blocks in either formulation (see `Formulation`).
  const lin = (x: tf.Tensor2D, l: Linear) => (fast ? ops.linear(x, l.w, l.b) : linear(x, l));
  const norm = (x: tf.Tensor2D, ln: LayerNorm) => (fast ? ops.layerNorm(x, ln.g, ln.b) : layerNorm(x, ln));
  const bmm = fast ? ops.matMul : (a: tf.Tensor, b: tf.Tensor, ta = false, tb = false) => tf.matMul(a, b, ta, tb);

  const tok = fast ? embedFast(p.wte, idx) : embed(p.wte, idx); // (B, T, C)
  const pos = tf.slice(p.wpe, [0, 0], [T, C]); // (T, C), broadcast over B
  let x = maybeDropout(tf.add(tok, pos)).reshape([B * T, C]) as tf.Tensor2D; // (B·T, C)

  for (const block of p.h) {
    // Attention: every position gathers information from the earlier ones.
    const a = norm(x, block.ln1); // (B·T, C)
    const qkv = lin(a, block.attn.cAttn); // (B·T, 3C)
    const [q, k, v] = fast
      ? (ops.splitHeads(qkv, B, T, 3, nHead) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]) // one pass on wasm
      : (tf.split(qkv, 3, 1).map(
          (t) => t.reshape([B, T, nHead, hs]).transpose([0, 2, 1, 3]) as tf.Tensor4D, // (B, nh, T, hs)
        ) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]);
    // (B, nh, T, T): how much each position attends to each earlier one; rows sum to 1
    const scores = bmm(q, k, false, true) as tf.Tensor4D;
    const att = fast
      ? ops.causalSoftmax(scores, 1 / Math.sqrt(hs), mask)
      : (tf.softmax(tf.add(tf.mul(scores, 1 / Math.sqrt(hs)), mask)) as tf.Tensor4D);
    if (opts.returnAttention) attention.push(att);
    const yh = bmm(maybeDropout(att) as tf.Tensor4D, v) as tf.Tensor4D; // (B, nh, T, hs)
    const y = fast
      ? ops.mergeHeads([yh], B, T) // heads side by side again, (B·T, C)
      : (yh.transpose([0, 2, 1, 3]).reshape([B * T, C]) as tf.Tensor2D);
    x = tf.add(x, maybeDropout(lin(y, block.attn.cProj))); // residual

    // MLP: each position thinks on its own.
    const m = lin(norm(x, block.ln2), block.mlp.cFc); // (B·T, 4C)
    // gelu then the projection back to C; on WebGPU one kernel each way (ops.geluLinear)
    const mo = fast ? ops.geluLinear(m, block.mlp.cProj.w, block.mlp.cProj.b) : linear(gelu(m), block.mlp.cProj);
    x = tf.add(x, maybeDropout(mo)); // (B·T, C)
  }

  const xf = norm(x, p.lnF); // (B·T, C)
  const logits = bmm(xf, p.wte, false, true).reshape([B, T, V]) as tf.Tensor3D; // tied head
  return opts.returnAttention ? { logits, attention } : { logits };
}

/** Mean cross-entropy of next-token predictions: logits (B, T, V), targets (B·T) ids. */
export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor1D, formulation: Formulation = 'fast'): tf.Scalar {
  const V = logits.shape[2];
  if (formulation === 'fast') return ops.crossEntropy(logits.reshape([-1, V]), oneHotFloat(targets, V));
  const logp = tf.logSoftmax(logits.reshape([-1, V])); // (B·T, V)
  const picked = tf.sum(tf.mul(logp, oneHotFloat(targets, V)), -1); // log p(target)
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

// ---------------------------------------------------------------------------------
// Pieces

/**
 * One-hot rows as float32. Built as int32 and cast: tfjs-backend-wasm 4.22's OneHot
 * ignores a float32 dtype and writes integer bit patterns (all ~0 as floats).
 */
function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

function linear(x: tf.Tensor2D, l: Linear): tf.Tensor2D {
  return tf.add(tf.matMul(x, l.w), l.b);
}

function layerNorm(x: tf.Tensor2D, ln: LayerNorm): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true); // (N, 1) each
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), ln.g), ln.b);
}

/** GELU, tanh approximation (as GPT-2). */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/**
 * Additive causal mask for a sequence of length T, built for this T (not a fixed
 * blockSize × blockSize buffer), so shorter prompts work. −1e9 rather than −∞: exp
 * underflows to exactly 0 either way, and no backend turns −∞ − −∞ into NaN.
 */
function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

/**
 * Token embedding lookup for the fast formulation: a plain `tf.gather`, whose gradient
 * is tfjs's own `UnsortedSegmentSum` (a scatter-add of dy's rows into the ids' rows).
 * The wasm backend has no such kernel in tfjs 4.22; Folio registers one
 * (kernels/wasmKernels.ts). Where a backend lacks it, the one-hot gradient below.
 */
function embedFast(table: tf.Variable, idx: tf.Tensor2D): tf.Tensor3D {
  // The cpu backend has the kernel, but it is a slow one (~1 s of a `cpu`-preset step):
  // the one-hot product is faster there.
  const backend = tf.getBackend();
  if (backend === 'cpu' || !tf.getKernel('UnsortedSegmentSum', backend)) return embed(table, idx);
  const [B, T] = idx.shape;
  const C = table.shape[1]!;
  const ids = idx.reshape([B * T]);
  // wasm: Folio's row copy (kernels/wasmKernels.ts), its gradient the same scatter-add
  const rows = backend === 'wasm' ? (tf.engine().runKernel(GATHER_ROWS, { table, ids }, {}) as tf.Tensor) : tf.gather(table, ids);
  return rows.reshape([B, T, C]) as tf.Tensor3D;
}

/**
 * Token embedding lookup, (B, T) ids → (B, T, C).
 *
 * The forward pass is `tf.gather`. Its stock gradient needs the `UnsortedSegmentSum`
 * kernel, which tfjs's wasm backend lacks (Folio registers one, used by `embedFast` only)
 * and the cpu backend runs slowly (a third of a `nano` step). So the gradient is written out as a one-hot product,
 * dW = onehot(ids)ᵀ · dy — the same sum, from ops every backend has and runs fast.
 */
function embed(table: tf.Variable, idx: tf.Tensor2D): tf.Tensor3D {
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
