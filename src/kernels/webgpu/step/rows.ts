/**
 * The whole-step engine's row and column kernels: LayerNorm (forward in one dispatch, its
 * input gradient in one, its gain and bias gradients in one), the embeddings (lookup and
 * position added in one dispatch; both gradients in one), and the cross-entropy (loss and its
 * gradient in one dispatch).
 *
 * A row kernel gives each row a workgroup of 64 threads: each thread folds every 64th element,
 * the workgroup adds the threads' shares up (reduce.ts), and the row is written once. Column sums give 32 columns a workgroup, 8 lanes a
 * column walking every 8th row.
 */
import type { Operand } from './gemm';
import { workgroupReduce } from './reduce';
import { BUILTINS, Bindings, FLAT_GROUP, grid, type StepKernel } from './wgsl';

const ROW = 64; // threads per row

/**
 * WGSL: what a row kernel opens with — its bindings, the reductions it calls (reduce.ts), and
 * main()'s first lines: the row this workgroup owns (a whole workgroup returns past the last
 * row, so the reductions' barriers stay in uniform control flow) and this thread's lane in it.
 */
const rowOpening = (bind: Bindings, rows: number, reductions: string[]) => `
${bind.declare()}
${reductions.join('\n')}
@compute @workgroup_size(${ROW})
fn main(${BUILTINS}) {
  let row = ${FLAT_GROUP};
  if (row >= ${rows}) { return; }
  let lid = i32(li);`;

export interface LayerNormSpec {
  label: string;
  rows: number;
  C: number;
  x: Operand;
  g: Operand;
  b: Operand;
  out: Operand;
  /** (rows, 2): mean and 1/σ of each row, for the backward pass. */
  stats: Operand;
}

/** y = (x − μ)·(1/σ)·g + b per row, eps 1e-5; also writes (μ, 1/σ). */
export function layerNormKernel(s: LayerNormSpec): StepKernel {
  const bind = new Bindings();
  const X = bind.use(s.x.buf);
  const P = bind.use(s.g.buf);
  const Pb = bind.use(s.b.buf);
  const O = bind.use(s.out.buf, true);
  const S = bind.use(s.stats.buf, true);
  const code = `${rowOpening(bind, s.rows, [workgroupReduce('sum', ROW)])}
  let base = ${s.x.at} + row * ${s.C};
  var t = 0.0;
  for (var j = lid; j < ${s.C}; j = j + ${ROW}) { t = t + ${X}[base + j]; }
  let mu = groupSum(t, lid) / ${s.C}.0;
  var q = 0.0;
  for (var j = lid; j < ${s.C}; j = j + ${ROW}) { let d = ${X}[base + j] - mu; q = q + d * d; }
  let rs = 1.0 / sqrt(groupSum(q, lid) / ${s.C}.0 + 1e-5);
  if (lid == 0) { ${S}[${s.stats.at} + row * 2] = mu; ${S}[${s.stats.at} + row * 2 + 1] = rs; }
  let ob = ${s.out.at} + row * ${s.C};
  for (var j = lid; j < ${s.C}; j = j + ${ROW}) {
    ${O}[ob + j] = (${X}[base + j] - mu) * rs * ${P}[${s.g.at} + j] + ${Pb}[${s.b.at} + j];
  }
}`;
  return { label: s.label, kind: 'rows', code, buffers: bind.names(), groups: grid(s.rows) };
}

/** What both of LayerNorm's backward kernels read: x̂ is recomputed from x and the row statistics, not kept. */
interface LayerNormGradInputs {
  label: string;
  rows: number;
  C: number;
  dy: Operand;
  x: Operand;
  /** (rows, 2): μ and 1/σ, from the forward pass. */
  stats: Operand;
}

export interface LayerNormDxSpec extends LayerNormGradInputs {
  g: Operand;
  dx: Operand;
  /** Add to dx (the residual stream's gradient) instead of writing it. */
  accumulate: boolean;
}

/** dx = (1/σ)·(d − mean(d) − x̂·mean(d·x̂)), d = dy·g, x̂ recomputed from x and the row's statistics. */
export function layerNormDxKernel(s: LayerNormDxSpec): StepKernel {
  const bind = new Bindings();
  const DY = bind.use(s.dy.buf);
  const X = bind.use(s.x.buf);
  const S = bind.use(s.stats.buf);
  const P = bind.use(s.g.buf);
  const D = bind.use(s.dx.buf, true);
  const code = `${rowOpening(bind, s.rows, [workgroupReduce('sum', ROW, 'vec2<f32>')])}
  let mu = ${S}[${s.stats.at} + row * 2];
  let rs = ${S}[${s.stats.at} + row * 2 + 1];
  let xb = ${s.x.at} + row * ${s.C};
  let yb = ${s.dy.at} + row * ${s.C};
  var t = vec2<f32>(0.0, 0.0);
  for (var j = lid; j < ${s.C}; j = j + ${ROW}) {
    let d = ${DY}[yb + j] * ${P}[${s.g.at} + j];
    t = t + vec2<f32>(d, d * (${X}[xb + j] - mu) * rs);
  }
  let sums = groupSum(t, lid);
  let md = sums.x / ${s.C}.0;
  let mdx = sums.y / ${s.C}.0;
  let db = ${s.dx.at} + row * ${s.C};
  for (var j = lid; j < ${s.C}; j = j + ${ROW}) {
    let xh = (${X}[xb + j] - mu) * rs;
    let v = rs * (${DY}[yb + j] * ${P}[${s.g.at} + j] - md - xh * mdx);
    ${s.accumulate ? `${D}[db + j] = ${D}[db + j] + v;` : `${D}[db + j] = v;`}
  }
}`;
  return { label: s.label, kind: 'rows', code, buffers: bind.names(), groups: grid(s.rows) };
}

const COLS = 32; // columns per workgroup
const LANES = 8; // threads per column

export interface LayerNormParamGradSpec extends LayerNormGradInputs {
  dg: Operand;
  db: Operand;
}

/** dg = Σ_rows dy·x̂ and db = Σ_rows dy, in one pass over the rows. */
export function layerNormParamGradKernel(s: LayerNormParamGradSpec): StepKernel {
  const bind = new Bindings();
  const DY = bind.use(s.dy.buf);
  const X = bind.use(s.x.buf);
  const S = bind.use(s.stats.buf);
  const G = bind.use(s.dg.buf, true);
  const Gb = bind.use(s.db.buf, true);
  const code = `
${bind.declare()}
var<workgroup> part : array<vec2<f32>, ${COLS * LANES}>;
@compute @workgroup_size(${COLS * LANES})
fn main(${BUILTINS}) {
  let lid = i32(li);
  let c = lid % ${COLS};
  let lane = lid / ${COLS};
  let col = i32(wid.x) * ${COLS} + c;
  var t = vec2<f32>(0.0, 0.0);
  if (col < ${s.C}) {
    for (var r = lane; r < ${s.rows}; r = r + ${LANES}) {
      let dy = ${DY}[${s.dy.at} + r * ${s.C} + col];
      let xh = (${X}[${s.x.at} + r * ${s.C} + col] - ${S}[${s.stats.at} + r * 2]) * ${S}[${s.stats.at} + r * 2 + 1];
      t = t + vec2<f32>(dy * xh, dy);
    }
  }
  part[lid] = t;
  workgroupBarrier();
  if (lane == 0 && col < ${s.C}) {
    var u = vec2<f32>(0.0, 0.0);
    for (var l = 0; l < ${LANES}; l = l + 1) { u = u + part[l * ${COLS} + c]; }
    ${G}[${s.dg.at} + col] = u.x;
    ${Gb}[${s.db.at} + col] = u.y;
  }
}`;
  return { label: s.label, kind: 'rows', code, buffers: bind.names(), groups: [Math.ceil(s.C / COLS), 1, 1] };
}

export interface EmbedSpec {
  label: string;
  /** Rows: batch × context. */
  rows: number;
  T: number;
  C: number;
  /** Token ids (int32 buffer). */
  ids: Operand;
  wte: Operand;
  wpe: Operand;
  out: Operand;
}

/** x = wte[id] + wpe[position], one thread per element. */
export function embedKernel(s: EmbedSpec): StepKernel {
  const bind = new Bindings();
  const I = bind.use(s.ids.buf, false, 'i32');
  const P = bind.use(s.wte.buf);
  const Pp = bind.use(s.wpe.buf);
  const O = bind.use(s.out.buf, true);
  const total = s.rows * s.C;
  const code = `
${bind.declare()}
@compute @workgroup_size(256)
fn main(${BUILTINS}) {
  let i = ${FLAT_GROUP} * 256 + i32(li);
  if (i >= ${total}) { return; }
  let n = i / ${s.C};
  let c = i % ${s.C};
  let id = ${I}[${s.ids.at} + n];
  ${O}[${s.out.at} + i] = ${P}[${s.wte.at} + id * ${s.C} + c] + ${Pp}[${s.wpe.at} + (n % ${s.T}) * ${s.C} + c];
}`;
  return { label: s.label, kind: 'rows', code, buffers: bind.names(), groups: grid(Math.ceil(total / 256)) };
}

export interface EmbedGradSpec {
  label: string;
  B: number;
  T: number;
  V: number;
  C: number;
  /** The gradient of the embeddings' sum, (B·T, C). */
  dx: Operand;
  /** Row numbers sorted by token id (stable), and where each id's rows start (V + 1 ints): made on the CPU with the batch. */
  order: Operand;
  starts: Operand;
  /** Added to (the output head already wrote its share: the table is tied). */
  dwte: Operand;
  /** Written. */
  dwpe: Operand;
}

/**
 * dwte[v] += Σ of dx's rows whose token is v (a scatter-add without atomics: each (v, c) sums
 * its own rows, found through the sorted order), and dwpe[t] = Σ_b dx[b, t].
 */
export function embedGradKernel(s: EmbedGradSpec): StepKernel {
  const bind = new Bindings();
  const D = bind.use(s.dx.buf);
  const I = bind.use(s.order.buf, false, 'i32');
  const G = bind.use(s.dwte.buf, true);
  const ST = bind.use(s.starts.buf, false, 'i32');
  const Gp = bind.use(s.dwpe.buf, true);
  const total = (s.V + s.T) * s.C;
  const code = `
${bind.declare()}
@compute @workgroup_size(256)
fn main(${BUILTINS}) {
  let i = ${FLAT_GROUP} * 256 + i32(li);
  if (i < ${s.V * s.C}) {
    let v = i / ${s.C};
    let c = i % ${s.C};
    var t = 0.0;
    for (var k = ${ST}[${s.starts.at} + v]; k < ${ST}[${s.starts.at} + v + 1]; k = k + 1) { t = t + ${D}[${s.dx.at} + ${I}[${s.order.at} + k] * ${s.C} + c]; }
    ${G}[${s.dwte.at} + i] = ${G}[${s.dwte.at} + i] + t;
  } else if (i < ${total}) {
    let j = i - ${s.V * s.C};
    let p = j / ${s.C};
    let c = j % ${s.C};
    var t = 0.0;
    for (var b = 0; b < ${s.B}; b = b + 1) { t = t + ${D}[${s.dx.at} + (b * ${s.T} + p) * ${s.C} + c]; }
    ${Gp}[${s.dwpe.at} + j] = t;
  }
}`;
  return { label: s.label, kind: 'rows', code, buffers: bind.names(), groups: grid(Math.ceil(total / 256)) };
}

export interface CrossEntropySpec {
  label: string;
  rows: number;
  V: number;
  logits: Operand;
  /** Target ids (int32 buffer). */
  targets: Operand;
  /** (rows, V): (softmax − onehot)/rows, the mean loss's gradient. */
  dlogits: Operand;
  /** (rows): each row's −log p(target). */
  rowLoss: Operand;
}

/** The cross-entropy and its gradient in one pass per row: max, log-sum-exp, then both outputs. */
export function crossEntropyKernel(s: CrossEntropySpec): StepKernel {
  const bind = new Bindings();
  const L = bind.use(s.logits.buf);
  const Y = bind.use(s.targets.buf, false, 'i32');
  const D = bind.use(s.dlogits.buf, true);
  const RL = bind.use(s.rowLoss.buf, true);
  const code = `${rowOpening(bind, s.rows, [workgroupReduce('max', ROW), workgroupReduce('sum', ROW)])}
  let base = ${s.logits.at} + row * ${s.V};
  var mine = -3.402823e38;
  for (var j = lid; j < ${s.V}; j = j + ${ROW}) { mine = max(mine, ${L}[base + j]); }
  let m = groupMax(mine, lid);
  var t = 0.0;
  for (var j = lid; j < ${s.V}; j = j + ${ROW}) { t = t + exp(${L}[base + j] - m); }
  let lse = log(groupSum(t, lid));
  let tgt = ${Y}[${s.targets.at} + row];
  let db = ${s.dlogits.at} + row * ${s.V};
  for (var j = lid; j < ${s.V}; j = j + ${ROW}) {
    let lp = ${L}[base + j] - m - lse;
    ${D}[db + j] = (exp(lp) - select(0.0, 1.0, j == tgt)) * (1.0 / ${s.rows}.0);
  }
  if (lid == 0) { ${RL}[${s.rowLoss.at} + row] = -(${L}[base + tgt] - m - lse); }
}`;
  return { label: s.label, kind: 'rows', code, buffers: bind.names(), groups: grid(s.rows) };
}
