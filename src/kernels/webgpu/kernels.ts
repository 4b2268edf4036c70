/**
 * WGSL kernels for the WebGPU backend, registered through tfjs's kernel registry where
 * stock kernels waste passes over GPU memory:
 *
 * - `FolioAdamW` (kernels/adamw.ts has the maths): with stock ops one parameter's update
 *   is ~12 dispatches, each a full read and write of the tensor. Here it is three (new m,
 *   new v, new weight); the step's hyper-parameters travel as uniforms, so the shaders
 *   compile once and nothing is read back to the CPU.
 * - `FolioCausalSoftmax` and its gradient: attention's scale, causal mask and softmax in
 *   one dispatch (stock: multiply, add a mask tensor, then softmax's max, subtract, exp,
 *   sum and divide), and the backward pass in one.
 *
 * GELU has no pass of its own: it is folded into the MLP's matrix products
 * (gemm.ts). LayerNorm and column sums are in rows.ts.
 *
 * Each is exported as a config; webgpu/index.ts lists them and kernels/index.ts registers
 * them. This file does not import tfjs-backend-webgpu (the page loads that backend lazily);
 * it speaks to the backend object tfjs hands the kernel, through the two members used.
 */
import type * as tf from '@tensorflow/tfjs';
import { ADAMW, type AdamWAttrs } from '../adamw';
import { CAUSAL_SOFTMAX, CAUSAL_SOFTMAX_GRAD } from '../causalSoftmax';

/** What of tfjs-backend-webgpu's WebGPUBackend Folio's WGSL kernels use. */
export interface WebGPUBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: { type: string; data: number[] }[]): tf.TensorInfo;
}

const WORKGROUP = 64;
const MAX_GROUPS = 65535; // per dimension of a dispatch

type Output = 'm' | 'v' | 'param';

/**
 * What tfjs-backend-webgpu needs of a program, for `invocations` threads in a flat
 * dispatch over an output of `shape` (the shader reads its inputs as plain arrays).
 */
export abstract class FlatProgram {
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  abstract readonly variableNames: string[];
  abstract readonly uniforms: string;
  abstract readonly shaderKey: string;

  /** `invocations`: threads to run, one per output element unless told. */
  constructor(
    readonly outputShape: number[],
    invocations = outputShape.reduce((a, b) => a * b, 1),
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const groups = Math.ceil(invocations / WORKGROUP);
    // Large tensors spread over y as well; tfjs's global index covers the whole grid.
    const y = Math.ceil(groups / MAX_GROUPS);
    this.dispatch = [Math.ceil(groups / y), y, 1];
  }

  abstract getUserCode(): string;
}

/**
 * One output of the update. Inputs are bound as plain storage arrays (P, G, M, V and the
 * clip scale S), indexed directly: every tensor here is dense and of the same shape.
 */
class AdamWProgram extends FlatProgram {
  readonly variableNames = ['P', 'G', 'M', 'V', 'S'];
  readonly uniforms = 'lr : f32, beta1 : f32, beta2 : f32, c1 : f32, c2 : f32, epsilon : f32, decay : f32,';
  readonly size = true;
  readonly shaderKey: string;

  constructor(
    shape: number[],
    private readonly output: Output,
  ) {
    super(shape);
    this.shaderKey = `folio_adamw_${output}`;
  }

  getUserCode(): string {
    const result = { m: 'm', v: 'v', param: 'P[index] * uniforms.decay - uniforms.lr * (m * uniforms.c1) / (sqrt(v * uniforms.c2) + uniforms.epsilon)' }[
      this.output
    ];
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          // Every shader names every input: the bind group binds all five, and WebGPU
          // rejects a binding that the shader's layout left out as unused.
          _ = P[index];
          let g = G[index] * S[0];
          let m = uniforms.beta1 * M[index] + (1.0 - uniforms.beta1) * g;
          let v = uniforms.beta2 * V[index] + (1.0 - uniforms.beta2) * g * g;
          setOutputAtIndex(index, ${result});
        }
      }`;
  }
}

export const adamwConfig: tf.KernelConfig = {
  kernelName: ADAMW,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WebGPUBackendLike;
    const { param, grad, m, v, scale } = inputs as Record<'param' | 'grad' | 'm' | 'v' | 'scale', tf.TensorInfo>;
    const a = attrs as unknown as AdamWAttrs;
    const uniforms = [a.lr, a.beta1, a.beta2, a.c1, a.c2, a.epsilon, a.decay].map((x) => ({ type: 'float32', data: [x] }));
    const ins = [param, grad, m, v, scale];
    return (['param', 'm', 'v'] as const).map((o) => be.runWebGPUProgram(new AdamWProgram(param.shape, o), ins, 'float32', uniforms));
  },
};

/**
 * One invocation per row of a (…, T, T) attention matrix: row i (the query position)
 * sees columns 0..i. Forward: y = softmax(x·scale) over the visible columns, 0 beyond.
 * Backward: dx = scale · y · (dy − Σ dy·y).
 */
class CausalSoftmaxProgram extends FlatProgram {
  readonly variableNames: string[];
  readonly uniforms = 'rows : i32, seq : i32, scale : f32,';
  readonly shaderKey: string;

  constructor(
    shape: number[],
    private readonly backward: boolean,
  ) {
    super(
      shape,
      shape.slice(0, -1).reduce((a, b) => a * b, 1),
    ); // one invocation per row
    this.variableNames = backward ? ['DY', 'Y'] : ['X'];
    this.shaderKey = backward ? 'folio_causal_softmax_grad' : 'folio_causal_softmax';
  }

  getUserCode(): string {
    const body = this.backward
      ? `
          var s = 0.0;
          for (var j = 0; j <= i; j++) { s = s + DY[base + j] * Y[base + j]; }
          for (var j = 0; j < T; j++) {
            var v = 0.0;
            if (j <= i) { v = uniforms.scale * Y[base + j] * (DY[base + j] - s); }
            setOutputAtIndex(base + j, v);
          }`
      : `
          var m = -3.402823e38;
          for (var j = 0; j <= i; j++) { m = max(m, X[base + j] * uniforms.scale); }
          var sum = 0.0;
          for (var j = 0; j <= i; j++) { sum = sum + exp(X[base + j] * uniforms.scale - m); }
          for (var j = 0; j < T; j++) {
            var v = 0.0;
            if (j <= i) { v = exp(X[base + j] * uniforms.scale - m) / sum; }
            setOutputAtIndex(base + j, v);
          }`;
    return `
      fn main(index : i32) {
        if (index < uniforms.rows) {
          let T = uniforms.seq;
          let base = index * T;
          let i = index % T;
          ${body}
        }
      }`;
  }
}

function runSoftmax(backend: unknown, inputs: tf.TensorInfo[], shape: number[], scale: number, backward: boolean): tf.TensorInfo {
  const be = backend as WebGPUBackendLike;
  const T = shape[shape.length - 1]!;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const uniforms = [
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [T] },
    { type: 'float32', data: [scale] },
  ];
  return be.runWebGPUProgram(new CausalSoftmaxProgram(shape, backward), inputs, 'float32', uniforms);
}

export const causalSoftmaxConfig: tf.KernelConfig = {
  kernelName: CAUSAL_SOFTMAX,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    return runSoftmax(backend, [x], x.shape, (attrs as { scale: number }).scale, false);
  },
};

export const causalSoftmaxGradConfig: tf.KernelConfig = {
  kernelName: CAUSAL_SOFTMAX_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    return runSoftmax(backend, [dy, y], y.shape, (attrs as { scale: number }).scale, true);
  },
};
