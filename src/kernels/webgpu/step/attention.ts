/**
 * Causal self-attention as one dispatch each way, for the whole-step engine. Heads are read
 * where the q/k/v product left them (columns h·hs of each third of the (B·T, 3C) rows) and the
 * output written merged, (B·T, C): no split, no merge, no transposes.
 *
 * Forward, a workgroup per (sequence, head, 64 query rows), a thread per query row, its query
 * and its output row in registers; keys, then values, stream through workgroup memory in
 * blocks shared by the 64 rows:
 *   pass 1  s_ij = (q_i·k_j)·scale for j ≤ i, kept (in the attention buffer) with their max
 *   pass 2  e_ij = exp(s_ij − max), their sum
 *   pass 3  p_ij = e_ij / sum, kept for the backward pass; y_i = Σ_j p_ij v_j
 * The same numbers as scores, scale, causal mask, softmax and the product with V as separate
 * kernels; p is written once and nothing else leaves the workgroup.
 *
 * Backward, a workgroup per (sequence, head) — the column sums need every row:
 *   rows     dS_ij = scale·p_ij·(dy_i·v_j − dy_i·y_i),  dq_i = Σ_j dS_ij k_j   (keys and values in workgroup memory)
 *   columns  dk_j = Σ_i dS_ij q_i,  dv_j = Σ_i p_ij dy_i                       (queries and dy in workgroup memory)
 * (dy_i·y_i = Σ_j p_ij (dy_i·v_j), the softmax gradient's row sum, from the saved output.)
 * Any context length works; workgroup memory holds a block of keys at a time (8 KiB, within
 * WebGPU's 16 KiB minimum).
 */
import type { Operand } from './gemm';
import { BUILTINS, Bindings, f, type StepKernel } from './wgsl';

export interface AttentionSpec {
  label: string;
  B: number;
  T: number;
  heads: number;
  /** Head size. */
  hs: number;
  /** (B·T, 3C): q, k, v side by side. */
  qkv: Operand;
  /** (B, heads, T, T): the attention weights (row i's first i + 1 entries). */
  att: Operand;
  /** (B·T, C): the output, heads side by side. */
  y: Operand;
}

export interface AttentionGradSpec extends AttentionSpec {
  /** (B·T, C): the output's gradient. */
  dy: Operand;
  /** (B, heads, T, T) scratch: dS. */
  ds: Operand;
  /** (B·T, 3C): dq, dk, dv side by side (written). */
  dqkv: Operand;
}

const WG = 64;

/** Keys (or rows) per block of workgroup memory: two blocks of `hs` floats each fit in 8 KiB. */
const blockOf = (hs: number) => Math.max(1, Math.min(WG, Math.floor(1024 / hs)));

/**
 * WGSL: what both directions open with — the bindings, the sizes as constants, `blocks` blocks of
 * KB rows of workgroup memory (SH), and main()'s first lines, which find the workgroup's
 * sequence b and head h (wid.x = b·heads + h).
 */
const opening = (s: AttentionSpec, bind: Bindings, blocks: number) => `
${bind.declare()}
const T = ${s.T};
const HS = ${s.hs};
const NH = ${s.heads};
const C = ${s.heads * s.hs};
const C3 = ${3 * s.heads * s.hs};
const KB = ${blockOf(s.hs)};
const SCALE = ${f(1 / Math.sqrt(s.hs))};
var<workgroup> SH : array<f32, ${blocks * blockOf(s.hs) * s.hs}>;

@compute @workgroup_size(${WG})
fn main(${BUILTINS}) {
  let lid = i32(li);
  let bh = i32(wid.x);
  let b = bh / NH;
  let h = bh % NH;`;

/** WGSL reading element d of row t of this workgroup's sequence (b) and head (h): where a block is staged from. */
type HeadRead = (t: string, d: string) => string;
/** q's, k's or v's columns (part 0, 1, 2) of the (B·T, 3C) rows the q/k/v product wrote. */
const qkvRead =
  (QKV: string, qkv: Operand, part: 0 | 1 | 2): HeadRead =>
  (t, d) =>
    `${QKV}[${qkv.at} + (b * T + ${t}) * C3 + ${['', 'C + ', '2 * C + '][part]}h * HS + ${d}]`;
/** A (B·T, C) matrix with the heads side by side (the output's gradient). */
const mergedRead =
  (buf: string, o: Operand): HeadRead =>
  (t, d) =>
    `${buf}[${o.at} + (b * T + ${t}) * C + h * HS + ${d}]`;

/**
 * WGSL: the workgroup copies rows first … first + KB − 1 of this head, read by `reads[n]`, into
 * block n of SH (zeros past the sequence's end), each thread every 64th element so that the
 * reads are coalesced. A barrier before (the previous blocks may still be read) and after (no
 * thread reads a block before it is whole).
 */
const stage = (first: string, reads: [HeadRead] | [HeadRead, HeadRead]) => `
    workgroupBarrier();
    for (var e = lid; e < KB * HS; e = e + ${WG}) {
      let row = ${first} + e / HS;
      let d = e % HS;
      ${reads.map((_, n) => `var v${n} = 0.0;`).join(' ')}
      if (row < T) { ${reads.map((read, n) => `v${n} = ${read('row', 'd')};`).join(' ')} }
      ${reads.map((_, n) => `SH[${n ? 'KB * HS + ' : ''}e] = v${n};`).join(' ')}
    }
    workgroupBarrier();`;

export function attentionKernel(s: AttentionSpec): StepKernel {
  const bind = new Bindings();
  const QKV = bind.use(s.qkv.buf);
  const ATT = bind.use(s.att.buf, true);
  const Y = bind.use(s.y.buf, true);
  const keys = qkvRead(QKV, s.qkv, 1);
  const values = qkvRead(QKV, s.qkv, 2);
  const code = `${opening(s, bind, 1)}
  let r0 = i32(wid.y) * ${WG};
  let i = r0 + lid;
  let valid = i < T;
  let last = min(T - 1, r0 + ${WG - 1});
  var q : array<f32, HS>;
  var acc : array<f32, HS>;
  if (valid) {
    let qb = ${s.qkv.at} + (b * T + i) * C3 + h * HS;
    for (var d = 0; d < HS; d = d + 1) { q[d] = ${QKV}[qb + d]; acc[d] = 0.0; }
  }
  let ab = ${s.att.at} + (bh * T + i) * T;
  var m = -3.402823e38;
  for (var j0 = 0; j0 <= last; j0 = j0 + KB) {
    ${stage('j0', [keys])}
    if (valid) {
      for (var jj = 0; jj < KB; jj = jj + 1) {
        let j = j0 + jj;
        if (j > i) { break; }
        var t = 0.0;
        for (var d = 0; d < HS; d = d + 1) { t = fma(q[d], SH[jj * HS + d], t); }
        t = t * SCALE;
        ${ATT}[ab + j] = t;
        m = max(m, t);
      }
    }
  }
  var sum = 0.0;
  if (valid) {
    for (var j = 0; j <= i; j = j + 1) { let e = exp(${ATT}[ab + j] - m); ${ATT}[ab + j] = e; sum = sum + e; }
  }
  for (var j0 = 0; j0 <= last; j0 = j0 + KB) {
    ${stage('j0', [values])}
    if (valid) {
      for (var jj = 0; jj < KB; jj = jj + 1) {
        let j = j0 + jj;
        if (j > i) { break; }
        let p = ${ATT}[ab + j] / sum;
        ${ATT}[ab + j] = p;
        for (var d = 0; d < HS; d = d + 1) { acc[d] = fma(p, SH[jj * HS + d], acc[d]); }
      }
    }
  }
  if (valid) {
    let yb = ${s.y.at} + (b * T + i) * C + h * HS;
    for (var d = 0; d < HS; d = d + 1) { ${Y}[yb + d] = acc[d]; }
  }
}`;
  if (s.B * s.heads > 65535) throw new Error(`${s.label}: more than 65,535 sequence-heads`);
  return { label: s.label, kind: 'attention', code, buffers: bind.names(), groups: [s.B * s.heads, Math.ceil(s.T / WG), 1] };
}

export function attentionGradKernel(s: AttentionGradSpec): StepKernel {
  const bind = new Bindings();
  const QKV = bind.use(s.qkv.buf);
  const ATT = bind.use(s.att.buf);
  const Y = bind.use(s.y.buf);
  const DY = bind.use(s.dy.buf);
  const DS = bind.use(s.ds.buf, true);
  const DQKV = bind.use(s.dqkv.buf, true);
  const queries = qkvRead(QKV, s.qkv, 0);
  const keys = qkvRead(QKV, s.qkv, 1);
  const values = qkvRead(QKV, s.qkv, 2);
  const outGrads = mergedRead(DY, s.dy);
  const code = `${opening(s, bind, 2)}
  // Rows: dS and dq.
  for (var r0 = 0; r0 < T; r0 = r0 + ${WG}) {
    let i = r0 + lid;
    let valid = i < T;
    let last = min(T - 1, r0 + ${WG - 1});
    var dy : array<f32, HS>;
    var dq : array<f32, HS>;
    var delta = 0.0;
    if (valid) {
      let yb = (b * T + i) * C + h * HS;
      for (var d = 0; d < HS; d = d + 1) {
        dy[d] = ${DY}[${s.dy.at} + yb + d];
        delta = fma(dy[d], ${Y}[${s.y.at} + yb + d], delta);
        dq[d] = 0.0;
      }
    }
    let ab = (bh * T + i) * T;
    for (var j0 = 0; j0 <= last; j0 = j0 + KB) {
      ${stage('j0', [keys, values])}
      if (valid) {
        for (var jj = 0; jj < KB; jj = jj + 1) {
          let j = j0 + jj;
          if (j > i) { break; }
          var dp = 0.0;
          for (var d = 0; d < HS; d = d + 1) { dp = fma(dy[d], SH[KB * HS + jj * HS + d], dp); }
          let g = SCALE * ${ATT}[${s.att.at} + ab + j] * (dp - delta);
          ${DS}[${s.ds.at} + ab + j] = g;
          for (var d = 0; d < HS; d = d + 1) { dq[d] = fma(g, SH[jj * HS + d], dq[d]); }
        }
      }
    }
    if (valid) {
      let qb = ${s.dqkv.at} + (b * T + i) * C3 + h * HS;
      for (var d = 0; d < HS; d = d + 1) { ${DQKV}[qb + d] = dq[d]; }
    }
  }
  // Every dS of this (sequence, head) written before any column reads it.
  storageBarrier();
  workgroupBarrier();
  // Columns: dk and dv.
  for (var c0 = 0; c0 < T; c0 = c0 + ${WG}) {
    let j = c0 + lid;
    let valid = j < T;
    var dk : array<f32, HS>;
    var dv : array<f32, HS>;
    for (var d = 0; d < HS; d = d + 1) { dk[d] = 0.0; dv[d] = 0.0; }
    for (var i0 = c0; i0 < T; i0 = i0 + KB) {
      ${stage('i0', [queries, outGrads])}
      if (valid) {
        for (var ii = 0; ii < KB; ii = ii + 1) {
          let i = i0 + ii;
          if (i >= T) { break; }
          if (i >= j) {
            let at = (bh * T + i) * T + j;
            let g = ${DS}[${s.ds.at} + at];
            let p = ${ATT}[${s.att.at} + at];
            for (var d = 0; d < HS; d = d + 1) {
              dk[d] = fma(g, SH[ii * HS + d], dk[d]);
              dv[d] = fma(p, SH[KB * HS + ii * HS + d], dv[d]);
            }
          }
        }
      }
    }
    if (valid) {
      let kb = ${s.dqkv.at} + (b * T + j) * C3 + h * HS;
      for (var d = 0; d < HS; d = d + 1) { ${DQKV}[kb + C + d] = dk[d]; ${DQKV}[kb + 2 * C + d] = dv[d]; }
    }
  }
}`;
  if (s.B * s.heads > 65535) throw new Error(`${s.label}: more than 65,535 sequence-heads`);
  return { label: s.label, kind: 'attention', code, buffers: bind.names(), groups: [s.B * s.heads, 1, 1] };
}
