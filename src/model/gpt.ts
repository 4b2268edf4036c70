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
 * function of (params, token ids), written in the operations of formulations.ts (stock
 * tfjs, or Folio's fast kernels), which run on the cpu, wasm, webgl and webgpu backends.
 */
import * as tf from '@tensorflow/tfjs';
import type { SizedModelConfig } from '../config';
import { Rng } from '../util/rng';
import { oneHotFloat, opsFor, type Formulation } from './formulations';
import { embedFrozen, geluLinearFrozen, linearFrozen, matMulFrozenT } from './frozenOps';
import { appendPast } from './ops';

export interface Linear {
  w: tf.Variable; // (in, out)
  b: tf.Variable; // (out)
  /** A low-rank adapter beside the frozen weight (LoRA, model/lora.ts): x·w + b + scale·(x·a)·b. */
  lora?: LoraPath;
}

/** LoRA's two small matrices on one linear layer: a (in, r), b (r, out), and α/r. */
export interface LoraPath {
  a: tf.Variable;
  b: tf.Variable;
  /** (r) zeros: the bias of the adapter's first half where it runs through the fused GELU kernel. */
  zero: tf.Tensor1D;
  scale: number;
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
  /** Low-rank adapters on its projections (model/lora.ts): then only these train, and `named` stays frozen. */
  lora?: { config: LoraConfig; named: NamedParam[] };
  /** A view sharing another model's base weights (model/lora.ts `frozenView`): disposeGPT frees only its adapters. */
  shared?: boolean;
}

/** Which projections of each block carry an adapter: PEFT's module names for GPT-2 (`c_proj` alone means both). */
export type LoraTarget = 'c_attn' | 'attn.c_proj' | 'c_fc' | 'mlp.c_proj';

/** LoRA's settings: rank r, α (the update is scaled by α/r), and the projections it adapts. */
export interface LoraConfig {
  r: number;
  alpha: number;
  targets: LoraTarget[];
}

export interface ForwardOptions {
  /** Apply dropout (only matters when config.dropout > 0). */
  training?: boolean;
  /** Seed for dropout masks, e.g. derived from (run seed, step). */
  dropoutSeed?: number;
  /** Also return each layer's attention weights, (B, nHead, T, T) per layer. */
  returnAttention?: boolean;
  /** Also return the final hidden states, (B·T, C) (a reward model puts its scalar head there). */
  returnHidden?: boolean;
  /** Which way to write the maths (see `Formulation`); 'fast' unless told. */
  formulation?: Formulation;
  /**
   * Keys and values of the positions already seen (a KV cache): `idx` then holds only the
   * tokens after them, at positions past…past+T−1, and attends to those earlier ones too.
   */
  past?: KVCache;
  /** Which row of `past` each row of `idx` continues (e.g. each beam branch's parent); row b continues row b unless told. */
  pastRows?: tf.Tensor1D;
  /** Also return the keys and values of every position (past and new): the cache for the next call. */
  returnCache?: boolean;
  /** Logits for the last position only, (B, 1, V): all a prediction reads. */
  lastOnly?: boolean;
  /** Logits at these positions only (indices b·T + t), (P, 1, V): all a loss on a few positions reads (a continuation's tokens). */
  positions?: tf.Tensor1D;
}

/**
 * What attention needs of positions already seen: per layer, their keys and values,
 * (B, nh, Tpast, hs) each. With it, the next token costs one position's work, not a
 * whole pass over the context (predict/kvCache.ts).
 */
export interface KVCache {
  k: tf.Tensor4D[];
  v: tf.Tensor4D[];
}

/** Which way to write the maths: see formulations.ts. */
export type { Formulation } from './formulations';

export interface ForwardResult {
  logits: tf.Tensor3D; // (B, T, V)
  attention?: tf.Tensor4D[]; // [layer] (B, nh, T, Tpast + T)
  hidden?: tf.Tensor2D; // (B·T, C) after the final LayerNorm
  cache?: KVCache; // [layer] (B, nh, Tpast + T, hs)
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
  const rng = new Rng(seed);
  const std = 0.02;
  const residStd = 0.02 / Math.sqrt(2 * config.nLayer);
  return buildGPT(config, (_name, size, init, resid) => {
    const values = new Float32Array(size);
    const s = resid ? residStd : std;
    if (init === 'normal') for (let i = 0; i < size; i++) values[i] = rng.normal() * s;
    else if (init === 'ones') values.fill(1);
    return values;
  });
}

/**
 * A GPT with the given weights (a pretrained model's, read from its files): `values(name,
 * shape)` gives each parameter's float32 values by Folio name (see `folioNames` in
 * checkpoint/huggingface.ts), no random draw first.
 */
export function gptFromValues(config: SizedModelConfig, values: (name: string, shape: number[]) => Float32Array): GPT {
  return buildGPT(config, (name, size, _init, _resid, shape) => {
    const v = values(name, shape);
    if (v.length !== size) throw new Error(`${name} has ${v.length} values; its shape [${shape}] needs ${size}.`);
    return v;
  });
}

/** The parameters in their fixed order, each made from `fill`'s values (see createGPT for the initialisation). */
function buildGPT(
  config: SizedModelConfig,
  fill: (name: string, size: number, init: 'normal' | 'zeros' | 'ones', resid: boolean, shape: number[]) => Float32Array,
): GPT {
  const { nLayer, nEmbd: C, blockSize, vocabSize: V } = config;
  const named: NamedParam[] = [];

  const param = (name: string, shape: number[], init: 'normal' | 'zeros' | 'ones', resid = false, decay = false) => {
    const values = fill(
      name,
      shape.reduce((a, b) => a * b, 1),
      init,
      resid,
      shape,
    );
    // No explicit name: tfjs registers variable names globally, and two models alive at
    // once (e.g. a checkpoint being loaded) must not collide. Our names live in `named`.
    const initial = tf.tensor(values, shape, 'float32');
    const variable = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the data
    named.push({ name, variable, decay });
    return variable;
  };
  const linear = (name: string, nIn: number, nOut: number, resid = false): Linear => ({
    w: param(`${name}.w`, [nIn, nOut], 'normal', resid, true),
    b: param(`${name}.b`, [nOut], 'zeros'),
  });
  const layerNorm = (name: string): LayerNorm => ({
    g: param(`${name}.g`, [C], 'ones'),
    b: param(`${name}.b`, [C], 'zeros'),
  });

  const wte = param('wte', [V, C], 'normal', false, true);
  const wpe = param('wpe', [blockSize, C], 'normal', false, true);
  const h: Block[] = [];
  for (let l = 0; l < nLayer; l++) {
    h.push({
      ln1: layerNorm(`h.${l}.ln1`),
      attn: { cAttn: linear(`h.${l}.attn.cAttn`, C, 3 * C), cProj: linear(`h.${l}.attn.cProj`, C, C, true) },
      ln2: layerNorm(`h.${l}.ln2`),
      mlp: { cFc: linear(`h.${l}.mlp.cFc`, C, 4 * C), cProj: linear(`h.${l}.mlp.cProj`, 4 * C, C, true) },
    });
  }
  const lnF = layerNorm('lnF');
  return { config: { ...config }, params: { wte, wpe, h, lnF }, named };
}

export function disposeGPT(model: GPT): void {
  if (!model.shared) for (const p of model.named) p.variable.dispose();
  for (const p of model.lora?.named ?? []) p.variable.dispose();
  for (const b of model.params.h) for (const L of [b.attn.cAttn, b.attn.cProj, b.mlp.cFc, b.mlp.cProj]) L.lora?.zero.dispose();
}

/** Trainable parameters (the tied head counted once, as in nanoGPT). The formula lives in config.ts so the page can preview sizes without tfjs. */
export { paramCount } from '../config';

// ---------------------------------------------------------------------------------
// Forward

/**
 * Logits for every position: (B, T) token ids → (B, T, V). Works for any T ≤ blockSize;
 * position t only sees tokens 0..t (the causal mask), which is what lets one pass
 * train T next-token predictions at once. With `past` (a KV cache of P positions), the
 * T tokens sit at positions P..P+T−1 and also see the P earlier ones.
 */
export function forward(model: GPT, idx: tf.Tensor2D, opts: ForwardOptions = {}): ForwardResult {
  const { nHead, nEmbd: C, blockSize, vocabSize: V, dropout } = model.config;
  const [B, T] = idx.shape;
  const P = opts.past ? opts.past.k[0]!.shape[2] : 0; // positions already seen
  if (P + T > blockSize) throw new Error(`Sequence of ${P + T} tokens is longer than the context (${blockSize}).`);
  if (T < 1) throw new Error('Cannot run the model on an empty sequence.');
  const p = model.params;
  const hs = C / nHead;
  const drop = opts.training && dropout > 0;
  let site = 0; // each dropout call gets its own seed
  const maybeDropout = (x: tf.Tensor) => (drop ? tf.dropout(x, dropout, undefined, ((opts.dropoutSeed ?? 0) * 997 + site++) >>> 0) : x);

  const attention: tf.Tensor4D[] = [];
  const cache: KVCache = { k: [], v: [] };
  const mask = causalMask(T, P); // (T, P+T): 0 where a query may look, −1e9 at later positions
  const o = opsFor(opts.formulation); // the same blocks in either formulation

  // A model with LoRA adapters: its base weights are frozen, so their products give no weight gradients (frozenOps.ts).
  const frozen = !!model.lora && (opts.formulation ?? 'fast') === 'fast';
  const tok = frozen ? embedFrozen(p.wte, idx) : o.embed(p.wte, idx); // (B, T, C)
  const pos = tf.slice(p.wpe, [P, 0], [T, C]); // (T, C), broadcast over B
  let x = maybeDropout(tf.add(tok, pos)).reshape([B * T, C]) as tf.Tensor2D; // (B·T, C)

  const base = (x: tf.Tensor2D, L: Linear) => (frozen ? linearFrozen(x, L.w, L.b) : o.linear(x, L));
  const baseGelu = (z: tf.Tensor2D, L: Linear) => (frozen ? geluLinearFrozen(z, L.w, L.b) : o.geluLinear(z, L));
  // A linear layer, with its low-rank adapter when it has one (LoRA: the frozen weight plus scale·(x·a)·b).
  const linear = (x: tf.Tensor2D, L: Linear): tf.Tensor2D =>
    L.lora ? tf.add(base(x, L), tf.mul(o.matMul(o.matMul(x, L.lora.a), L.lora.b), L.lora.scale)) : base(x, L);
  const geluLinear = (z: tf.Tensor2D, L: Linear): tf.Tensor2D =>
    L.lora ? tf.add(baseGelu(z, L), tf.mul(o.matMul(o.geluLinear(z, { w: L.lora.a, b: L.lora.zero }), L.lora.b), L.lora.scale)) : baseGelu(z, L);

  for (const [l, block] of p.h.entries()) {
    // Attention: every position gathers information from the earlier ones.
    // eslint-disable-next-line prefer-const -- q stays; k and v grow by the cached rows below
    let [q, k, v] = o.splitHeads(linear(o.layerNorm(x, block.ln1), block.attn.cAttn), B, T, nHead); // (B, nh, T, hs) each
    if (opts.past) [k, v] = [appendPast(opts.past.k[l]!, k, opts.pastRows), appendPast(opts.past.v[l]!, v, opts.pastRows)]; // (B, nh, P+T, hs)
    if (opts.returnCache) [cache.k[l], cache.v[l]] = [k, v];
    const att = o.causalSoftmax(o.matMul(q, k, false, true) as tf.Tensor4D, 1 / Math.sqrt(hs), mask); // (B, nh, T, P+T), rows sum to 1
    if (opts.returnAttention) attention.push(att);
    const y = o.mergeHeads(o.matMul(maybeDropout(att), v) as tf.Tensor4D, B, T); // (B·T, C)
    x = tf.add(x, maybeDropout(linear(y, block.attn.cProj))); // residual
    // MLP: each position thinks on its own, in a layer four times as wide.
    x = tf.add(x, maybeDropout(geluLinear(linear(o.layerNorm(x, block.ln2), block.mlp.cFc), block.mlp.cProj))); // (B·T, C)
  }

  // The head over a large vocabulary costs as much as several blocks: run it only where it is read.
  const [Bout, Tout] = opts.positions ? [opts.positions.shape[0], 1] : [B, opts.lastOnly ? 1 : T];
  // x: (P, C) at the positions asked for, or (B, C) at the last ones
  if (opts.positions) x = tf.gather(x, opts.positions);
  else if (opts.lastOnly) x = tf.slice(x.reshape([B, T, C]), [0, T - 1, 0], [B, 1, C]).reshape([B, C]);
  const xf = o.layerNorm(x, p.lnF); // (Bout·Tout, C)
  const logits = (frozen ? matMulFrozenT(xf, p.wte) : o.matMul(xf, p.wte, false, true)).reshape([Bout, Tout, V]) as tf.Tensor3D; // tied head
  return {
    logits,
    ...(opts.returnAttention ? { attention } : {}),
    ...(opts.returnHidden ? { hidden: xf } : {}),
    ...(opts.returnCache ? { cache } : {}),
  };
}

/** Mean cross-entropy of next-token predictions: logits (B, T, V), targets (B·T) ids. */
export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor1D, formulation: Formulation = 'fast'): tf.Scalar {
  const V = logits.shape[2];
  return opsFor(formulation).crossEntropy(logits.reshape([-1, V]), oneHotFloat(targets, V));
}

// ---------------------------------------------------------------------------------
// Pieces

/**
 * Additive causal mask for T queries after P earlier positions: (T, P+T), query i sees
 * keys 0..P+i. Built for this T (not a fixed blockSize × blockSize buffer), so shorter
 * prompts work. −1e9 rather than −∞: exp underflows to exactly 0 either way, and no
 * backend turns −∞ − −∞ into NaN.
 */
function causalMask(T: number, P = 0): tf.Tensor2D {
  const S = P + T;
  const m = new Float32Array(T * S);
  for (let i = 0; i < T; i++) for (let j = P + i + 1; j < S; j++) m[i * S + j] = -1e9;
  return tf.tensor2d(m, [T, S]);
}
