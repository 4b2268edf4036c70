/**
 * LayerNorm and column sums in WGSL, for the WebGPU backend.
 *
 * Why: with stock ops a LayerNorm is ~10 dispatches forward (moments, subtract, rsqrt,
 * multiply, add…) and ~12 backward, and a bias gradient Σ_rows dy is a transpose plus a
 * reduction. A GPT step has 2·layers + 1 LayerNorms and a bias per linear layer, so
 * these small passes were most of a step's dispatches. Here:
 *
 *   forward   FolioRowStats      one invocation per row: mean and 1/σ → (N, 2)
 *             FolioLayerNormOut  one per element: (x − μ)·(1/σ)·g + b
 *   backward  FolioLayerNormDx   one per row: (1/σ)·(d − mean(d) − x̂·mean(d·x̂)), d = dy·g
 *             FolioColumnSums    Σ_rows dy·x̂ (dg), and again Σ_rows dy (db)
 *
 * and a bias gradient is FolioColumnSums alone. x̂ is recomputed from x and the row's
 * statistics instead of being kept: the backward pass keeps x (the residual stream,
 * alive anyway) and an (N, 2) tensor, not another (N, C) one.
 *
 * Column sums: a workgroup of 256 threads owns 32 columns; its 8 lanes per column walk
 * every 8th row and add their partial sums in workgroup memory at the end, so the rows
 * are read once, coalesced, with 8× the parallelism of a thread per column.
 */
import * as tf from '@tensorflow/tfjs';
import { FlatProgram, type WebGPUBackendLike } from './kernels';

export const ROW_STATS = 'FolioRowStats';
export const LAYER_NORM_OUT = 'FolioLayerNormOut';
export const LAYER_NORM_DX = 'FolioLayerNormDx';
export const COLUMN_SUMS = 'FolioColumnSums';

/** Rows and width of a tensor seen as (rows, C), C its last axis. */
const rowsOf = (t: tf.TensorInfo): [number, number] => {
  const C = t.shape[t.shape.length - 1]!;
  return [t.shape.reduce((a, b) => a * b, 1) / C, C];
};

/** A flat dispatch of `invocations` threads running `body` (one row or one element each). */
class RowProgram extends FlatProgram {
  readonly uniforms = 'rows : i32, cols : i32, eps : f32,';

  constructor(
    outputShape: number[],
    invocations: number,
    readonly variableNames: string[],
    readonly shaderKey: string,
    private readonly body: string,
  ) {
    super(outputShape, invocations);
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        let C = uniforms.cols;
        ${this.body}
      }`;
  }
}

const STATS = `
  if (index >= uniforms.rows) { return; }
  let base = index * C;
  var s = 0.0;
  for (var j = 0; j < C; j++) { s = s + X[base + j]; }
  let mu = s / f32(C);
  var q = 0.0;
  for (var j = 0; j < C; j++) { let d = X[base + j] - mu; q = q + d * d; }
  setOutputAtIndex(index * 2, mu);
  setOutputAtIndex(index * 2 + 1, inverseSqrt(q / f32(C) + uniforms.eps));`;

const OUT = `
  if (index >= uniforms.rows * C) { return; }
  let r = index / C;
  let j = index - r * C;
  setOutputAtIndex(index, (X[index] - S[r * 2]) * S[r * 2 + 1] * G[j] + Beta[j]);`;

const DX = `
  if (index >= uniforms.rows) { return; }
  let base = index * C;
  let mu = S[index * 2];
  let rs = S[index * 2 + 1];
  var md = 0.0;
  var mdx = 0.0;
  for (var j = 0; j < C; j++) {
    let d = DY[base + j] * G[j];
    md = md + d;
    mdx = mdx + d * (X[base + j] - mu) * rs;
  }
  md = md / f32(C);
  mdx = mdx / f32(C);
  for (var j = 0; j < C; j++) {
    let xh = (X[base + j] - mu) * rs;
    setOutputAtIndex(base + j, rs * (DY[base + j] * G[j] - md - xh * mdx));
  }`;

const COLS = 32; // columns per workgroup
const LANES = 8; // threads per column

/** Σ over rows of dy, or with `withXhat` of dy·x̂ (x̂ from x and the row statistics): output (C). */
class ColumnSumsProgram {
  readonly workgroupSize: [number, number, number] = [COLS * LANES, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly uniforms = 'rows : i32, cols : i32, eps : f32,';
  readonly variableNames: string[];
  readonly shaderKey: string;
  readonly outputShape: number[];

  constructor(
    C: number,
    private readonly withXhat: boolean,
  ) {
    this.outputShape = [C];
    this.dispatch = [Math.ceil(C / COLS), 1, 1];
    this.variableNames = withXhat ? ['DY', 'X', 'S'] : ['DY'];
    this.shaderKey = `folio_column_sums_${+withXhat}`;
  }

  getUserCode(): string {
    const term = this.withXhat ? 'DY[r * C + col] * (X[r * C + col] - S[r * 2]) * S[r * 2 + 1]' : 'DY[r * C + col]';
    return `
      var<workgroup> part : array<f32, ${COLS * LANES}>;

      fn main(index : i32) {
        let C = uniforms.cols;
        let lid = i32(localId.x);
        let c = lid % ${COLS};
        let lane = lid / ${COLS};
        let col = i32(workgroupId.x) * ${COLS} + c;
        var s = 0.0;
        if (col < C) {
          for (var r = lane; r < uniforms.rows; r = r + ${LANES}) { s = s + ${term}; }
        }
        part[lid] = s;
        workgroupBarrier();
        if (lane == 0 && col < C) {
          var t = 0.0;
          for (var l = 0; l < ${LANES}; l++) { t = t + part[l * ${COLS} + c]; }
          setOutputAtIndex(col, t);
        }
      }`;
  }
}

function uniformsFor(rows: number, C: number, eps = 0) {
  return [
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [C] },
    { type: 'float32', data: [eps] },
  ];
}

const run = (backend: unknown, program: object, inputs: tf.TensorInfo[], rows: number, C: number, eps = 0) =>
  (backend as WebGPUBackendLike).runWebGPUProgram(program, inputs, 'float32', uniformsFor(rows, C, eps));

/**
 * A RowProgram kernel's config: `inputs` are the kernel's input names in binding order
 * (the first is x, whose rows are counted), `vars` the names the shader reads them by.
 */
function rowKernel(
  kernelName: string,
  inputs: string[],
  vars: string[],
  body: string,
  outShape: (x: tf.TensorInfo, N: number) => number[],
  invocations: (N: number, C: number) => number,
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'webgpu',
    kernelFunc: ({ inputs: given, attrs, backend }) => {
      const ins = inputs.map((name) => (given as Record<string, tf.TensorInfo>)[name]!);
      const x = ins[inputs.indexOf('x')]!;
      const [N, C] = rowsOf(x);
      const program = new RowProgram(outShape(x, N), invocations(N, C), vars, `folio_${kernelName}`, body);
      return run(backend, program, ins, N, C, (attrs as { eps?: number }).eps ?? 0);
    },
  };
}

export const rowStatsConfig = rowKernel(
  ROW_STATS,
  ['x'],
  ['X'],
  STATS,
  (_, N) => [N, 2],
  (N) => N,
);
export const layerNormOutConfig = rowKernel(
  LAYER_NORM_OUT,
  ['x', 'stats', 'g', 'b'],
  ['X', 'S', 'G', 'Beta'],
  OUT,
  (x) => x.shape,
  (N, C) => N * C,
);
export const layerNormDxConfig = rowKernel(
  LAYER_NORM_DX,
  ['dy', 'x', 'stats', 'g'],
  ['DY', 'X', 'S', 'G'],
  DX,
  (x) => x.shape,
  (N) => N,
);

export const columnSumsConfig: tf.KernelConfig = {
  kernelName: COLUMN_SUMS,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, x, stats } = inputs as { dy: tf.TensorInfo; x?: tf.TensorInfo; stats?: tf.TensorInfo };
    const [N, C] = rowsOf(dy);
    const withXhat = !!(x && stats);
    return run(backend, new ColumnSumsProgram(C, withXhat), withXhat ? [dy, x!, stats!] : [dy], N, C);
  },
};
