/**
 * A tiled WGSL matrix product with GELU folded into it, for the MLP on WebGPU.
 *
 * Why: the MLP is h = gelu(z), y = h·W + b. With stock kernels GELU is its own pass each
 * way: forward reads z and writes h (a (B·T, 4C) tensor, the largest activation of the
 * block, kept in GPU memory until the backward pass), backward reads dh and z and
 * writes dz. tfjs's fused matMul has no GELU epilogue. Here GELU happens where the data
 * already is:
 *
 *   forward    y  = gelu(z)·W + b        GELU applied to A as the tile is loaded
 *   backward   dW = gelu(z)ᵀ·dy          the same, A read transposed in place
 *              dz = (dy·Wᵀ) ⊙ gelu′(z)   gelu′ applied to the accumulators before the store
 *
 * so h never exists, and neither GELU pass is dispatched. Each A element is loaded once
 * per column tile (N/TN times), so the extra exp costs little next to the product.
 *
 * The product itself is gemmTile.ts's tile loop, the one the whole-step engine's GEMM runs
 * too: a workgroup of 16×16 threads computes a (16·R)×(16·R) tile of the output, A and B
 * streaming through workgroup memory. Here the sizes are uniforms, so one shader per variant
 * serves every shape.
 *
 * This file does not import tfjs-backend-webgpu (the page loads it lazily); it speaks to
 * the backend object through `runWebGPUProgram`, as kernels.ts does.
 */
import * as tf from '@tensorflow/tfjs';
import { THREADS, geluSigmoid, geluSlope, tileLoop, tileMemory, tiling } from './gemmTile';
import type { WebGPUBackendLike } from './kernels';

export const GEMM = 'FolioGemm';

/** What the kernel does besides the product. */
export interface GemmAttrs {
  /** A is stored (K, M) and read transposed. */
  transposeA: boolean;
  /** B is stored (N, K) and read transposed. */
  transposeB: boolean;
  /** Apply GELU to every element of A as it is read. */
  geluA: boolean;
  /** Multiply each output by gelu′(Z) at the same position (input `z`, shape (M, N)). */
  geluGradZ: boolean;
}

class GemmProgram {
  readonly workgroupSize: [number, number, number] = [THREADS, THREADS, 1];
  readonly dispatchLayout = { x: [1], y: [0] }; // not flat: main() reads workgroupId itself
  readonly dispatch: [number, number, number];
  readonly variableNames: string[];
  readonly uniforms = 'M : i32, N : i32, K : i32,';
  readonly shaderKey: string;
  readonly outputShape: number[];
  private readonly r: number;

  constructor(
    M: number,
    N: number,
    private readonly a: GemmAttrs,
    private readonly hasBias: boolean,
  ) {
    this.outputShape = [M, N];
    ({ R: this.r, groups: this.dispatch } = tiling(M, N));
    this.variableNames = ['A', 'B', ...(hasBias ? ['Bias'] : []), ...(a.geluGradZ ? ['Z'] : [])];
    this.shaderKey = `folio_gemm_${this.r}_${+a.transposeA}${+a.transposeB}${+a.geluA}${+a.geluGradZ}${+hasBias}`;
  }

  getUserCode(): string {
    const { transposeA, transposeB, geluA, geluGradZ } = this.a;
    const epilogue = [
      this.hasBias ? 'v = v + Bias[col];' : '',
      geluGradZ ? `let x = Z[row * uniforms.N + col]; let s = ${geluSigmoid('x')}; v = v * ${geluSlope('x', 's')};` : '',
    ].join('\n');
    const loop = tileLoop({
      R: this.r,
      M: 'uniforms.M',
      N: 'uniforms.N',
      K: 'uniforms.K',
      readA: (i) => `A[${i}]`,
      readB: (i) => `B[${i}]`,
      transposeA,
      transposeB,
      geluA,
    });
    return `
      ${tileMemory(this.r)}

      fn main() {
        ${loop}
      }

      fn store(row : i32, col : i32, acc : f32) {
        if (row < uniforms.M && col < uniforms.N) {
          var v = acc;
          ${epilogue}
          setOutputAtIndex(row * uniforms.N + col, v);
        }
      }`;
  }
}

/** The kernel's config, for webgpu/index.ts to list (kernels/index.ts registers it). */
export const gemmConfig: tf.KernelConfig = {
  kernelName: GEMM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { a, b, bias, z } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo; z?: tf.TensorInfo };
    const at = attrs as unknown as GemmAttrs;
    const [M, K] = at.transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const N = at.transposeB ? b.shape[0]! : b.shape[1]!;
    const kb = at.transposeB ? b.shape[1]! : b.shape[0]!;
    if (a.shape.length !== 2 || b.shape.length !== 2 || K !== kb) throw new Error(`${GEMM}: cannot multiply ${a.shape} by ${b.shape}`);
    if (at.geluGradZ && (!z || z.shape[0] !== M || z.shape[1] !== N)) throw new Error(`${GEMM}: z must be (${M}, ${N})`);
    const ins = [a, b, ...(bias ? [bias] : []), ...(at.geluGradZ && z ? [z] : [])];
    const uniforms = [M, N, K].map((x) => ({ type: 'int32', data: [x] }));
    return (backend as unknown as WebGPUBackendLike).runWebGPUProgram(new GemmProgram(M, N, at, !!bias), ins, 'float32', uniforms);
  },
};

/** Run the kernel (WebGPU only: check `has(GEMM)` first). */
export function gemm(inputs: { a: tf.Tensor; b: tf.Tensor; bias?: tf.Tensor; z?: tf.Tensor }, attrs: Partial<GemmAttrs>): tf.Tensor2D {
  const full: GemmAttrs = { transposeA: false, transposeB: false, geluA: false, geluGradZ: false, ...attrs };
  const ins: Record<string, tf.Tensor> = { a: inputs.a, b: inputs.b };
  if (inputs.bias) ins.bias = inputs.bias;
  if (inputs.z) ins.z = inputs.z;
  return tf.engine().runKernel(GEMM, ins, full as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
