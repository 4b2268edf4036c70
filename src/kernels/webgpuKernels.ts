/**
 * `FolioAdamW` on WebGPU: the AdamW update in WGSL, registered through tfjs's kernel
 * registry (see kernels/adamw.ts for the maths and the CPU-side version).
 *
 * Why: with stock ops one parameter's update is ~12 dispatches, each a full read and
 * write of the tensor in GPU memory. Here it is three (new m, new v, new weight), each
 * reading the inputs once; the step's hyper-parameters travel as uniforms, so the
 * shaders compile once and nothing is read back to the CPU.
 *
 * This file does not import tfjs-backend-webgpu (the page loads that backend lazily);
 * it speaks to the backend object tfjs hands the kernel, through the two members used.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAMW, type AdamWAttrs } from './adamw';

/** What of tfjs-backend-webgpu's WebGPUBackend this kernel uses. */
interface WebGPUBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: { type: string; data: number[] }[]): tf.TensorInfo;
}

const WORKGROUP = 64;
const MAX_GROUPS = 65535; // per dimension of a dispatch

type Output = 'm' | 'v' | 'param';

/**
 * One output of the update. Inputs are bound as plain storage arrays (P, G, M, V and the
 * clip scale S), indexed directly: every tensor here is dense and of the same shape.
 */
class AdamWProgram {
  readonly variableNames = ['P', 'G', 'M', 'V', 'S'];
  readonly uniforms = 'lr : f32, beta1 : f32, beta2 : f32, c1 : f32, c2 : f32, epsilon : f32, decay : f32,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly size = true;
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    shape: number[],
    private readonly output: Output,
  ) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    const groups = Math.ceil(shape.reduce((a, b) => a * b, 1) / WORKGROUP);
    // Large tensors spread over y as well; tfjs's global index covers the whole grid.
    const y = Math.ceil(groups / MAX_GROUPS);
    this.dispatch = [Math.ceil(groups / y), y, 1];
    this.shaderKey = `folio_adamw_${output}`;
  }

  getUserCode(): string {
    const result = { m: 'm', v: 'v', param: 'P[index] * uniforms.decay - uniforms.lr * (m * uniforms.c1) / (sqrt(v * uniforms.c2) + uniforms.epsilon)' }[this.output];
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

tf.registerKernel({
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
});
