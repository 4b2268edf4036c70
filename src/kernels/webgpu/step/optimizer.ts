/**
 * The end of the whole-step engine's step: the gradient's global norm, clipping and AdamW for
 * every parameter at once, over flat buffers (parameters, gradients and the two moments each
 * one buffer, the same layout), as fused multi-tensor optimizers do. Two dispatches:
 *
 *   FolioStepNorm   PARTS workgroups each sum the squares of a strided share of the gradient;
 *                   one more adds up the rows' losses (the step's mean loss, written out)
 *   FolioStepAdamW  every workgroup first adds up the PARTS partial sums (256 numbers, the same
 *                   order everywhere, so every workgroup finds the same norm), then clips and
 *                   updates 256 parameters; workgroup 0 writes the norm out
 *
 * The maths and its order are kernels/adamw.ts's. Parameters that decay lie first in the
 * layout, so weight decay is one comparison: decay for i < decayEnd.
 */
import type { Operand } from './gemm';
import { workgroupReduce } from './reduce';
import { BUILTINS, Bindings, FLAT_GROUP, STEP_UNIFORMS, f, grid, type StepKernel } from './wgsl';

/** Workgroups that share the sum of squares (and the partial sums AdamW adds up). */
export const NORM_PARTS = 256;

export interface NormSpec {
  /** Floats in the flat gradient (padding included: it stays 0). */
  total: number;
  grads: Operand;
  /** NORM_PARTS floats. */
  parts: Operand;
  rows: number;
  rowLoss: Operand;
  /** [loss, norm]: loss written here. */
  out: Operand;
}

export function normKernel(s: NormSpec): StepKernel {
  const bind = new Bindings();
  const G = bind.use(s.grads.buf);
  const PT = bind.use(s.parts.buf, true);
  const RL = bind.use(s.rowLoss.buf);
  const O = bind.use(s.out.buf, true);
  const code = `
${bind.declare()}
${workgroupReduce('sum', 256)}
@compute @workgroup_size(256)
fn main(${BUILTINS}) {
  let lid = i32(li);
  let w = i32(wid.x);
  var t = 0.0;
  if (w < ${NORM_PARTS}) {
    for (var i = w * 256 + lid; i < ${s.total}; i = i + ${NORM_PARTS * 256}) { let g = ${G}[${s.grads.at} + i]; t = fma(g, g, t); }
  } else {
    for (var i = lid; i < ${s.rows}; i = i + 256) { t = t + ${RL}[${s.rowLoss.at} + i]; }
  }
  let total = groupSum(t, lid);
  if (lid == 0) {
    if (w < ${NORM_PARTS}) { ${PT}[${s.parts.at} + w] = total; } else { ${O}[${s.out.at}] = total / ${s.rows}.0; }
  }
}`;
  return { label: 'gradient norm and loss', kind: 'optimizer', code, buffers: bind.names(), groups: [NORM_PARTS + 1, 1, 1] };
}

export interface AdamWSpec {
  total: number;
  /** Parameters [0, decayEnd) decay; the rest do not. */
  decayEnd: number;
  params: Operand;
  grads: Operand;
  m: Operand;
  v: Operand;
  parts: Operand;
  out: Operand;
  /** The uniform buffer of StepUniforms (lr, c1, c2, decay). */
  uniforms: string;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Clip the global norm to this (0: no clipping). */
  clip: number;
}

export function adamwKernel(s: AdamWSpec): StepKernel {
  const bind = new Bindings();
  const P = bind.use(s.params.buf, true);
  const G = bind.use(s.grads.buf);
  const M = bind.use(s.m.buf, true);
  const V = bind.use(s.v.buf, true);
  const PT = bind.use(s.parts.buf);
  const O = bind.use(s.out.buf, true);
  const U = bind.use(s.uniforms, false, 'uniform');
  const { beta1: b1, beta2: b2 } = s;
  const code = `
${STEP_UNIFORMS}
${bind.declare()}
${workgroupReduce('sum', 256)}
@compute @workgroup_size(256)
fn main(${BUILTINS}) {
  let lid = i32(li);
  var t = 0.0;
  if (lid < ${NORM_PARTS}) { t = ${PT}[${s.parts.at} + lid]; }
  let norm = sqrt(groupSum(t, lid));
  let scale = ${s.clip > 0 ? `${f(s.clip)} / max(norm, ${f(s.clip)})` : '1.0'};
  let w = ${FLAT_GROUP};
  if (w == 0 && lid == 0) { ${O}[${s.out.at} + 1] = norm; }
  let i = w * 256 + lid;
  if (i < ${s.total}) {
    let g = ${G}[${s.grads.at} + i] * scale;
    let m = ${M}[${s.m.at} + i] * ${f(b1)} + g * ${f(1 - b1)};
    let v = ${V}[${s.v.at} + i] * ${f(b2)} + (g * g) * ${f(1 - b2)};
    ${M}[${s.m.at} + i] = m;
    ${V}[${s.v.at} + i] = v;
    let upd = (m * ${U}.c1) / (sqrt(v * ${U}.c2) + ${f(s.epsilon)});
    let decay = select(1.0, ${U}.decay, i < ${s.decayEnd});
    ${P}[${s.params.at} + i] = ${P}[${s.params.at} + i] * decay - upd * ${U}.lr;
  }
}`;
  return { label: 'AdamW', kind: 'optimizer', code, buffers: bind.names(), groups: grid(Math.ceil(s.total / 256)) };
}
