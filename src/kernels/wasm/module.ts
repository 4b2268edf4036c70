/**
 * A few bytes of hand-assembled WebAssembly that read and write tfjs-wasm's own heap.
 *
 * Why: tfjs-backend-wasm 4.22 sends every batched matMul (batch > 1, e.g. attention's
 * (B·heads) products of T×hs by hs×T) to a scalar triple loop, ~2 GFLOP/s, while XNNPACK
 * only serves the un-batched form. Attention's six batched products per layer were a
 * quarter of a `cpu`-preset training step. The kernel below is a 4×8 register-tiled
 * SIMD (f32x4) product, assembled here from opcodes so that Folio needs no C toolchain,
 * no build step and no binary blob: the bytes are generated from this readable source.
 *
 * The kernels' bodies live in asm/ (one file per kind of kernel, assembled by
 * asm/assembler.ts); this file puts them into one module and instantiates it.
 *
 * It imports the backend's `WebAssembly.Memory`, so inputs and outputs are used in place
 * (tensor data on the wasm backend lives in that heap at `memoryOffset`), no copies.
 */

import { F32, I32, op, section, str, uleb, vec } from './asm/assembler';
import { batchMatMulBody } from './asm/matmul';
import { adamwBody } from './asm/adamw';
import { layerNormBody, layerNormGradBody, sumRowsBody, sumSquaresBody } from './asm/rows';
import { geluArgBody, geluGradBody } from './asm/gelu';
import { moveHeadsBody } from './asm/heads';
import { transposeBody } from './asm/transpose';
import { causalSoftmaxBody, causalSoftmaxGradBody } from './asm/softmax';

/**
 * The module's bytes: imports env.memory, exports the eight kernels of KernelModule
 * (matMul, AdamW, column sums, sum of squares, LayerNorm and its gradient, GELU's two). `sharedMaxPages`: import a shared memory of at most that many 64 KiB
 * pages instead (the threads of kernels/threads/gemmThreads.ts). `fma`: the matMul's inner loop uses
 * relaxed SIMD's fused multiply-add — twice the arithmetic per cycle, since a separate
 * multiply and add keep both of the core's vector ports busy for the same work.
 */
export function kernelModuleBytes(sharedMaxPages?: number, fma = supportsFma()): Uint8Array<ArrayBuffer> {
  const ints = (n: number) => new Array<number>(n).fill(I32);
  const floats = (n: number) => new Array<number>(n).fill(F32);
  // One type per function, in export order.
  const functions = [
    { name: 'batchMatMul', params: ints(10), results: [], body: batchMatMulBody(fma) },
    { name: 'adamw', params: [...ints(8), ...floats(8)], results: [], body: adamwBody() },
    { name: 'sumRows', params: ints(4), results: [], body: sumRowsBody() },
    { name: 'sumSquares', params: ints(2), results: [F32], body: sumSquaresBody() },
    { name: 'layerNorm', params: [...ints(8), ...floats(2)], results: [], body: layerNormBody() },
    { name: 'layerNormGrad', params: [...ints(9), ...floats(1)], results: [], body: layerNormGradBody() },
    { name: 'geluArg', params: [...ints(3), ...floats(2)], results: [], body: geluArgBody() },
    { name: 'geluGrad', params: [...ints(5), ...floats(2)], results: [], body: geluGradBody() },
    { name: 'splitHeads', params: ints(8), results: [], body: moveHeadsBody(true) },
    { name: 'mergeHeads', params: ints(8), results: [], body: moveHeadsBody(false) },
    { name: 'transpose', params: ints(5), results: [], body: transposeBody() },
    { name: 'causalSoftmax', params: [...ints(4), ...floats(1)], results: [], body: causalSoftmaxBody() },
    { name: 'causalSoftmaxGrad', params: [...ints(5), ...floats(1)], results: [], body: causalSoftmaxGradBody() },
  ];
  const fn = (f: { locals: number[][]; code: number[] }) => {
    const body = [...vec(f.locals), ...f.code, op.end];
    return [...uleb(body.length), ...body];
  };
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]))),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, ...(sharedMaxPages ? [0x03, ...uleb(1), ...uleb(sharedMaxPages)] : [0x00, ...uleb(1)])]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => fn(f.body)))),
  ];
  return Uint8Array.from(bytes);
}

let fmaSupported: boolean | undefined;

/** Whether this engine runs relaxed SIMD (Chrome ≥ 114; Node 20 only with --experimental-wasm-relaxed-simd). */
export function supportsFma(): boolean {
  if (fmaSupported === undefined) {
    try {
      fmaSupported = WebAssembly.validate(kernelModuleBytes(undefined, true));
    } catch {
      fmaSupported = false;
    }
  }
  return fmaSupported;
}

export interface KernelModule {
  /**
   * C[g] = op(A[g])·B[g] (+ bias) for g < G, byte addresses in the heap (bias 0 = none);
   * M % 4 = 0, N % 8 = 0. aRow/aK: byte strides of op(A) between rows and along k
   * (A as stored M×K: 4K and 4; stored K×M, i.e. transposed: 4 and 4M).
   */
  batchMatMul(a: number, b: number, c: number, bias: number, G: number, M: number, K: number, N: number, aRow: number, aK: number): void;
  /** AdamW on `quads`·4 floats (kernels/adamw.ts): reads p, g, m, v; writes pOut, mOut, vOut. */
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    quads: number,
    scale: number,
    beta1: number,
    beta2: number,
    c1: number,
    c2: number,
    epsilon: number,
    lr: number,
    decay: number,
  ): void;
  /** out[j] = Σ_r x[r, j] for x (R×C), C % 4 = 0. */
  sumRows(x: number, out: number, R: number, C: number): void;
  /** Σ x² over quads·4 floats. */
  sumSquares(x: number, quads: number): number;
  /** LayerNorm of x (R×C) with gain g, bias b: writes y, x̂ (R×C) and rstd (R). invC = 1/C. */
  layerNorm(x: number, g: number, b: number, y: number, xhat: number, rstd: number, R: number, C: number, invC: number, eps: number): void;
  /** LayerNorm's gradient: writes dx (R×C), dg and db (C). */
  layerNormGrad(dy: number, xhat: number, rstd: number, g: number, dx: number, dg: number, db: number, R: number, C: number, invC: number): void;
  /** out = x·(c1 + c2·x²) over quads·4 floats. */
  geluArg(x: number, out: number, quads: number, c1: number, c2: number): void;
  /** dx = dy·(s + x·s·(1 − s)·(a + b·x²)) over quads·4 floats. */
  geluGrad(dy: number, x: number, s: number, dx: number, quads: number, a: number, b: number): void;
  /**
   * One part of (B·T, P·C) rows → (B, heads, T, hs) (split) or back (merge); rowBytes = 4·P·C,
   * colBytes = 4·p·C for part p; hs % 4 = 0.
   */
  splitHeads(flat: number, part: number, B: number, T: number, heads: number, hs: number, rowBytes: number, colBytes: number): void;
  mergeHeads(flat: number, part: number, B: number, T: number, heads: number, hs: number, rowBytes: number, colBytes: number): void;
  /** dst[g] = src[g]ᵀ for G matrices of R×C floats, R % 4 = C % 4 = 0. */
  transpose(src: number, dst: number, G: number, R: number, C: number): void;
  /** Causal softmax of G (T×T) score matrices, T % 4 = 0: y = softmax(x·scale) over columns ≤ row, 0 beyond. */
  causalSoftmax(x: number, y: number, G: number, T: number, scale: number): void;
  /** Its gradient over rows (= G·T) of T: dx = scale·y·(dy − Σ dy·y). */
  causalSoftmaxGrad(dy: number, y: number, dx: number, rows: number, T: number, scale: number): void;
}

/** Instantiate over a memory (shared: pass the matching bytes); null where WebAssembly SIMD is unavailable. */
export function instantiateKernels(memory: WebAssembly.Memory, bytes = kernelModuleBytes()): KernelModule | null {
  try {
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return instance.exports as unknown as KernelModule;
  } catch {
    return null;
  }
}
