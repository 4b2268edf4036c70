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
 * The product itself: a workgroup of 16×16 threads computes a (16·R)×(16·R) tile of the
 * output, each thread an R×R block in registers; A and B stream through workgroup memory
 * in slices of K (TK = 16). R = 4 for large outputs, 2 for small ones (more workgroups to
 * fill the GPU). Edges are handled by zero padding on load, so any M, N, K work.
 *
 * This file does not import tfjs-backend-webgpu (the page loads it lazily); it speaks to
 * the backend object through `runWebGPUProgram`, as kernels.ts does.
 */
import * as tf from '@tensorflow/tfjs';
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

const THREADS = 16; // per side of a workgroup
const TK = 16; // K slice held in workgroup memory

const GELU_K = Math.sqrt(2 / Math.PI);
const f = (x: number) => x.toExponential(9); // WGSL float literal

/** sigmoid(2z), z = k·(x + 0.044715·x³): GELU(x) = x·s (the tanh form, as kernels.ts). */
const SIGMOID_ARG = (x: string) => `1.0 / (1.0 + exp(-${x} * (${f(2 * GELU_K)} + ${f(2 * GELU_K * 0.044715)} * ${x} * ${x})))`;

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
    // Big tiles reuse each loaded element more; small outputs need more workgroups.
    this.r = Math.ceil(M / 64) * Math.ceil(N / 64) >= 32 ? 4 : 2;
    const tile = THREADS * this.r;
    this.dispatch = [Math.ceil(N / tile), Math.ceil(M / tile), 1];
    this.variableNames = ['A', 'B', ...(hasBias ? ['Bias'] : []), ...(a.geluGradZ ? ['Z'] : [])];
    this.shaderKey = `folio_gemm_${this.r}_${+a.transposeA}${+a.transposeB}${+a.geluA}${+a.geluGradZ}${+hasBias}`;
  }

  getUserCode(): string {
    const R = this.r;
    const T = THREADS * R; // tile side
    const PER = (T * TK) / (THREADS * THREADS); // elements each thread loads per operand
    const { transposeA, transposeB, geluA, geluGradZ } = this.a;
    // Which element a thread loads: consecutive threads read consecutive addresses.
    const loadA = transposeA
      ? `let kk = idx / ${T}; let r = idx % ${T}; let row = m0 + r; let k = k0 + kk;
         var v = 0.0; if (row < uniforms.M && k < uniforms.K) { v = A[k * uniforms.M + row]; }`
      : `let r = idx / ${TK}; let kk = idx % ${TK}; let row = m0 + r; let k = k0 + kk;
         var v = 0.0; if (row < uniforms.M && k < uniforms.K) { v = A[row * uniforms.K + k]; }`;
    const loadB = transposeB
      ? `let c = idx / ${TK}; let kk = idx % ${TK}; let col = n0 + c; let k = k0 + kk;
         var v = 0.0; if (col < uniforms.N && k < uniforms.K) { v = B[col * uniforms.K + k]; }`
      : `let kk = idx / ${T}; let c = idx % ${T}; let col = n0 + c; let k = k0 + kk;
         var v = 0.0; if (col < uniforms.N && k < uniforms.K) { v = B[k * uniforms.N + col]; }`;
    const epilogue = [
      this.hasBias ? 'v = v + Bias[col];' : '',
      geluGradZ
        ? `let x = Z[row * uniforms.N + col]; let s = ${SIGMOID_ARG('x')};
           v = v * (s + x * s * (1.0 - s) * (${f(2 * GELU_K)} + ${f(6 * GELU_K * 0.044715)} * x * x));`
        : '',
    ].join('\n');
    // Straight-line code over named registers: a loop over a private array may be left
    // rolled by a shader compiler, and indexing it then goes through memory.
    const ids = [...Array(R).keys()];
    const cells = ids.flatMap((i) => ids.map((j) => [i, j] as const));
    return `
      var<workgroup> As : array<array<f32, ${T}>, ${TK}>;
      var<workgroup> Bs : array<array<f32, ${T}>, ${TK}>;

      fn main() {
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let lid = ty * ${THREADS} + tx;
        let m0 = i32(workgroupId.y) * ${T};
        let n0 = i32(workgroupId.x) * ${T};
        ${cells.map(([i, j]) => `var acc${i}${j} = 0.0;`).join(' ')}
        for (var k0 = 0; k0 < uniforms.K; k0 = k0 + ${TK}) {
          for (var e = 0; e < ${PER}; e = e + 1) {
            let idx = lid + e * ${THREADS * THREADS};
            {
              ${loadA}
              ${geluA ? `v = v * ${SIGMOID_ARG('v')};` : ''}
              As[kk][r] = v;
            }
            {
              ${loadB}
              Bs[kk][c] = v;
            }
          }
          workgroupBarrier();
          for (var kk = 0; kk < ${TK}; kk = kk + 1) {
            // Thread (tx, ty) owns rows ty + 16·i and columns tx + 16·j: neighbouring
            // threads read neighbouring words of workgroup memory.
            ${ids.map((i) => `let a${i} = As[kk][ty + ${i * THREADS}];`).join(' ')}
            ${ids.map((j) => `let b${j} = Bs[kk][tx + ${j * THREADS}];`).join(' ')}
            ${cells.map(([i, j]) => `acc${i}${j} = fma(a${i}, b${j}, acc${i}${j});`).join('\n            ')}
          }
          workgroupBarrier();
        }
        ${cells.map(([i, j]) => `store(m0 + ty + ${i * THREADS}, n0 + tx + ${j * THREADS}, acc${i}${j});`).join('\n        ')}
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
