/**
 * The whole GPT training step as a fixed list of WGSL dispatches (kernels/webgpu/step/), for
 * one model size and batch: forward, loss, backward, gradient norm, clipping and AdamW, in
 * order, with every buffer they read and write named and sized. Nothing in the list changes
 * from step to step: only the batch's token ids and the step's learning rate do.
 *
 * Per layer, 20 dispatches: forward — LayerNorm, q/k/v product (+ bias), attention, output
 * projection (+ bias + residual), LayerNorm, MLP product (+ bias), GELU-folded product (+ bias
 * + residual); backward — two products per linear layer (the input's gradient, GELU′ folded in
 * where it belongs; the weight's with its bias's), attention's one, and two per LayerNorm. Then
 * 11 more for the embeddings, the final LayerNorm, the tied output head, the cross-entropy, the
 * gradient norm and AdamW over every parameter at once.
 *
 * What it is not: the maths differs from the fast formulation (model/ops.ts) only in the order
 * of additions; tests hold the two to the same losses and weights.
 */
import type { SizedModelConfig } from '../../config';
import { attentionGradKernel, attentionKernel } from '../../kernels/webgpu/step/attention';
import { gemmKernel, type Operand } from '../../kernels/webgpu/step/gemm';
import { NORM_PARTS, adamwKernel, normKernel } from '../../kernels/webgpu/step/optimizer';
import { crossEntropyKernel, embedGradKernel, embedKernel, layerNormDxKernel, layerNormKernel, layerNormParamGradKernel } from '../../kernels/webgpu/step/rows';
import type { StepKernel } from '../../kernels/webgpu/step/wgsl';

/** Where each parameter sits in the flat buffers (parameters, gradients, both moments). */
export interface FlatLayout {
  /** Floats in each flat buffer. */
  total: number;
  /** Parameters that decay lie in [0, decayEnd). */
  decayEnd: number;
  at: Map<string, number>;
}

/** Offsets start on 64-float (256-byte) boundaries, so a parameter could be bound on its own. */
const ALIGN = 64;

export function flatLayout(params: { name: string; size: number; decay: boolean }[]): FlatLayout {
  const at = new Map<string, number>();
  let total = 0;
  const place = (p: { name: string; size: number }) => {
    at.set(p.name, total);
    total += Math.ceil(p.size / ALIGN) * ALIGN;
  };
  params.filter((p) => p.decay).forEach(place);
  const decayEnd = total;
  params.filter((p) => !p.decay).forEach(place);
  return { total, decayEnd, at };
}

/** Where the batch's integers sit in the int32 buffer `batch`: ids, targets, their sorted order, and where each id starts. */
export interface BatchInts {
  ids: number;
  targets: number;
  order: number;
  starts: number;
  total: number;
}

export interface StepPlan {
  kernels: StepKernel[];
  /** Every buffer the kernels name, with its size in floats (or ints). P, G, M, V are the flat ones; `u` is the uniform block. */
  sizes: Map<string, number>;
  ints: BatchInts;
}

export interface OptimizerSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
  gradClip: number;
}

export function planStep(cfg: SizedModelConfig, B: number, layout: FlatLayout, opt: OptimizerSettings): StepPlan {
  const { nLayer: L, nHead: NH, nEmbd: C, blockSize: T, vocabSize: V } = cfg;
  const hs = C / NH;
  const N = B * T;
  const sizes = new Map<string, number>();
  const buf = (name: string, floats: number): Operand => {
    sizes.set(name, floats);
    return { buf: name, at: 0 };
  };
  const par = (name: string): Operand => {
    const at = layout.at.get(name);
    if (at === undefined) throw new Error(`no parameter ${name}`);
    return { buf: 'P', at };
  };
  const grad = (name: string): Operand => ({ buf: 'G', at: par(name).at });
  for (const flat of ['P', 'G', 'M', 'V']) sizes.set(flat, layout.total);
  sizes.set('u', 4);
  const ints: BatchInts = { ids: 0, targets: N, order: 2 * N, starts: 3 * N, total: 3 * N + V + 1 };
  sizes.set('batch', ints.total);
  const batch = (at: number): Operand => ({ buf: 'batch', at });

  const k: StepKernel[] = [];
  const att = B * NH * T * T;
  const xs = Array.from({ length: L + 1 }, (_, l) => buf(`x${l}`, N * C));
  k.push(embedKernel({ label: 'embeddings', rows: N, T, C, ids: batch(ints.ids), wte: par('wte'), wpe: par('wpe'), out: xs[0]! }));
  const layers = Array.from({ length: L }, (_, l) => ({
    ln1: buf(`ln1_${l}`, N * C),
    st1: buf(`st1_${l}`, 2 * N),
    qkv: buf(`qkv${l}`, 3 * N * C),
    att: buf(`att${l}`, att),
    y: buf(`y${l}`, N * C),
    xm: buf(`xm${l}`, N * C),
    ln2: buf(`ln2_${l}`, N * C),
    st2: buf(`st2_${l}`, 2 * N),
    z: buf(`z${l}`, 4 * N * C),
  }));
  for (const [l, a] of layers.entries()) {
    const p = (s: string) => par(`h.${l}.${s}`);
    const x = xs[l]!;
    k.push(layerNormKernel({ label: `layer ${l} ln1`, rows: N, C, x, g: p('ln1.g'), b: p('ln1.b'), out: a.ln1, stats: a.st1 }));
    k.push(gemmKernel({ label: `layer ${l} q/k/v`, M: N, N: 3 * C, K: C, a: a.ln1, b: p('attn.cAttn.w'), bias: p('attn.cAttn.b'), out: a.qkv }));
    k.push(attentionKernel({ label: `layer ${l} attention`, B, T, heads: NH, hs, qkv: a.qkv, att: a.att, y: a.y }));
    k.push(gemmKernel({ label: `layer ${l} attention out`, M: N, N: C, K: C, a: a.y, b: p('attn.cProj.w'), bias: p('attn.cProj.b'), residual: x, out: a.xm }));
    k.push(layerNormKernel({ label: `layer ${l} ln2`, rows: N, C, x: a.xm, g: p('ln2.g'), b: p('ln2.b'), out: a.ln2, stats: a.st2 }));
    k.push(gemmKernel({ label: `layer ${l} mlp in`, M: N, N: 4 * C, K: C, a: a.ln2, b: p('mlp.cFc.w'), bias: p('mlp.cFc.b'), out: a.z }));
    k.push(
      gemmKernel({
        label: `layer ${l} mlp out`,
        M: N,
        N: C,
        K: 4 * C,
        a: a.z,
        geluA: true,
        b: p('mlp.cProj.w'),
        bias: p('mlp.cProj.b'),
        residual: a.xm,
        out: xs[l + 1]!,
      }),
    );
  }
  const lnf = buf('lnf', N * C);
  const stf = buf('stf', 2 * N);
  const logits = buf('logits', N * V);
  const dlogits = buf('dlogits', N * V);
  const rowLoss = buf('rowloss', N);
  const xL = xs[L]!;
  k.push(layerNormKernel({ label: 'final ln', rows: N, C, x: xL, g: par('lnF.g'), b: par('lnF.b'), out: lnf, stats: stf }));
  k.push(gemmKernel({ label: 'head', M: N, N: V, K: C, a: lnf, b: par('wte'), transposeB: true, out: logits }));
  k.push(crossEntropyKernel({ label: 'cross-entropy', rows: N, V, logits, targets: batch(ints.targets), dlogits, rowLoss }));

  // Backward. dres: the gradient of the residual stream, updated in place layer by layer.
  const dres = buf('dres', N * C);
  const dln = buf('dln', N * C);
  const dz = buf('dz', 4 * N * C);
  const dya = buf('dya', N * C);
  const dqkv = buf('dqkv', 3 * N * C);
  const ds = buf('ds', att);
  k.push(gemmKernel({ label: 'head: d(final ln)', M: N, N: C, K: V, a: dlogits, b: par('wte'), out: dln }));
  k.push(gemmKernel({ label: 'head: d(wte)', M: V, N: C, K: N, a: dlogits, transposeA: true, b: lnf, out: grad('wte') }));
  k.push(layerNormDxKernel({ label: 'final ln: dx', rows: N, C, dy: dln, x: xL, stats: stf, g: par('lnF.g'), dx: dres, accumulate: false }));
  k.push(layerNormParamGradKernel({ label: 'final ln: dg, db', rows: N, C, dy: dln, x: xL, stats: stf, dg: grad('lnF.g'), db: grad('lnF.b') }));
  for (let l = L - 1; l >= 0; l--) {
    const a = layers[l]!;
    const p = (s: string) => par(`h.${l}.${s}`);
    const g = (s: string) => grad(`h.${l}.${s}`);
    const x = xs[l]!;
    k.push(gemmKernel({ label: `layer ${l} mlp out: dz`, M: N, N: 4 * C, K: C, a: dres, b: p('mlp.cProj.w'), transposeB: true, geluGradZ: a.z, out: dz }));
    k.push(
      gemmKernel({
        label: `layer ${l} mlp out: dW, db`,
        M: 4 * C,
        N: C,
        K: N,
        a: a.z,
        transposeA: true,
        geluA: true,
        b: dres,
        out: g('mlp.cProj.w'),
        colSums: g('mlp.cProj.b'),
      }),
    );
    k.push(gemmKernel({ label: `layer ${l} mlp in: dx`, M: N, N: C, K: 4 * C, a: dz, b: p('mlp.cFc.w'), transposeB: true, out: dln }));
    k.push(
      gemmKernel({ label: `layer ${l} mlp in: dW, db`, M: C, N: 4 * C, K: N, a: a.ln2, transposeA: true, b: dz, out: g('mlp.cFc.w'), colSums: g('mlp.cFc.b') }),
    );
    k.push(layerNormDxKernel({ label: `layer ${l} ln2: dx`, rows: N, C, dy: dln, x: a.xm, stats: a.st2, g: p('ln2.g'), dx: dres, accumulate: true }));
    k.push(layerNormParamGradKernel({ label: `layer ${l} ln2: dg, db`, rows: N, C, dy: dln, x: a.xm, stats: a.st2, dg: g('ln2.g'), db: g('ln2.b') }));
    k.push(gemmKernel({ label: `layer ${l} attention out: dx`, M: N, N: C, K: C, a: dres, b: p('attn.cProj.w'), transposeB: true, out: dya }));
    k.push(
      gemmKernel({
        label: `layer ${l} attention out: dW, db`,
        M: C,
        N: C,
        K: N,
        a: a.y,
        transposeA: true,
        b: dres,
        out: g('attn.cProj.w'),
        colSums: g('attn.cProj.b'),
      }),
    );
    k.push(attentionGradKernel({ label: `layer ${l} attention: d(q, k, v)`, B, T, heads: NH, hs, qkv: a.qkv, att: a.att, y: a.y, dy: dya, ds, dqkv }));
    k.push(gemmKernel({ label: `layer ${l} q/k/v: dx`, M: N, N: C, K: 3 * C, a: dqkv, b: p('attn.cAttn.w'), transposeB: true, out: dln }));
    k.push(
      gemmKernel({
        label: `layer ${l} q/k/v: dW, db`,
        M: C,
        N: 3 * C,
        K: N,
        a: a.ln1,
        transposeA: true,
        b: dqkv,
        out: g('attn.cAttn.w'),
        colSums: g('attn.cAttn.b'),
      }),
    );
    k.push(layerNormDxKernel({ label: `layer ${l} ln1: dx`, rows: N, C, dy: dln, x, stats: a.st1, g: p('ln1.g'), dx: dres, accumulate: true }));
    k.push(layerNormParamGradKernel({ label: `layer ${l} ln1: dg, db`, rows: N, C, dy: dln, x, stats: a.st1, dg: g('ln1.g'), db: g('ln1.b') }));
  }
  k.push(
    embedGradKernel({
      label: 'embeddings: d(wte), d(wpe)',
      B,
      T,
      V,
      C,
      dx: dres,
      order: batch(ints.order),
      starts: batch(ints.starts),
      dwte: grad('wte'),
      dwpe: grad('wpe'),
    }),
  );
  const parts = buf('part', NORM_PARTS);
  const out = buf('out', 2);
  k.push(normKernel({ total: layout.total, grads: { buf: 'G', at: 0 }, parts, rows: N, rowLoss, out }));
  k.push(
    adamwKernel({
      total: layout.total,
      decayEnd: layout.decayEnd,
      params: { buf: 'P', at: 0 },
      grads: { buf: 'G', at: 0 },
      m: { buf: 'M', at: 0 },
      v: { buf: 'V', at: 0 },
      parts,
      out,
      uniforms: 'u',
      beta1: opt.beta1,
      beta2: opt.beta2,
      epsilon: opt.epsilon,
      clip: opt.gradClip,
    }),
  );
  return { kernels: k, sizes, ints };
}
