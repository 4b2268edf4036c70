/**
 * The matrix product's tile loop as WGSL text, shared by Folio's two WebGPU GEMMs: the tfjs
 * kernel (gemm.ts: sizes as uniforms, inputs bound by tfjs's program runner) and the whole-step
 * engine's (step/gemm.ts: sizes and offsets written in as constants, operands inside flat
 * buffers). They differ in how they read A and B and in what they do with each output (their
 * `store`); the product between — and so every rounding in it — is this one loop, so the two
 * engines compute the same numbers.
 *
 * A workgroup of 16×16 threads computes a (16·R)×(16·R) tile of the output, each thread an R×R
 * block in registers; A and B stream through workgroup memory in slices of K (TK = 16). R = 4
 * for large outputs, 2 for small ones (more workgroups to fill the GPU). Edges are handled by
 * zero padding on load, so any M, N, K work. GELU can be applied to A's elements as they load
 * (its expressions, and its derivative's for the stores, are here too).
 *
 * Not a kernel: no bindings, no entry point (each GEMM writes its own).
 */

/** Threads per side of a workgroup (16×16, the workgroup size both GEMMs declare). */
export const THREADS = 16;
/** Rows of K per slice held in workgroup memory. */
export const TK = 16;

/** A WGSL float literal. */
export const f = (x: number): string => x.toExponential(9);

/** GELU (tanh form) through sigmoid(2z), z = k·(x + 0.044715·x³): GELU(x) = x·s, as the wasm kernels. */
const GELU_K = Math.sqrt(2 / Math.PI);
export const geluSigmoid = (x: string): string => `1.0 / (1.0 + exp(-${x} * (${f(2 * GELU_K)} + ${f(2 * GELU_K * 0.044715)} * ${x} * ${x})))`;
/** gelu′(x) from s = sigmoid(2z): s + x·s·(1 − s)·2k·(1 + 3·0.044715·x²). */
export const geluSlope = (x: string, s: string): string =>
  `(${s} + ${x} * ${s} * (1.0 - ${s}) * (${f(2 * GELU_K)} + ${f(6 * GELU_K * 0.044715)} * ${x} * ${x}))`;

/** The register block R for an M×N output, and the grid of workgroups that covers it. */
export function tiling(M: number, N: number): { R: number; groups: [number, number, number] } {
  // Big tiles reuse each loaded element more; small outputs need more workgroups.
  const R = Math.ceil(M / 64) * Math.ceil(N / 64) >= 32 ? 4 : 2;
  const T = THREADS * R;
  return { R, groups: [Math.ceil(N / T), Math.ceil(M / T), 1] };
}

export interface TileLoop {
  /** From `tiling`. */
  R: number;
  /** The sizes as WGSL: constants or uniforms. out is M×N; the product runs over K. */
  M: string;
  N: string;
  K: string;
  /** WGSL reading A's element at flat index `i` of A as stored: (M, K), or (K, M) when transposed. */
  readA: (i: string) => string;
  /** B's: (K, N), or (N, K) when transposed. */
  readB: (i: string) => string;
  transposeA: boolean;
  transposeB: boolean;
  /** Apply GELU to A's elements as they load. */
  geluA: boolean;
  /** WGSL run after each K slice's products, while the slice is still in As and Bs (a barrier follows). */
  afterSlice?: string;
}

/** WGSL, module scope: the slices of A and B in workgroup memory. */
export function tileMemory(R: number): string {
  return `
var<workgroup> As : array<array<f32, ${THREADS * R}>, ${TK}>;
var<workgroup> Bs : array<array<f32, ${THREADS * R}>, ${TK}>;`;
}

/**
 * WGSL, the body of main(): the product, each of a thread's R×R results handed to
 * `store(row, col, acc)`, which the GEMM defines (bounds check, epilogue, write). Reads the
 * builtins as `localId` and `workgroupId` (tfjs's names; the whole step declares the same);
 * leaves `tx`, `ty`, `lid`, `m0`, `n0` in scope for what the GEMM adds after it.
 */
export function tileLoop(s: TileLoop): string {
  const { R, M, N, K } = s;
  const T = THREADS * R; // tile side
  const PER = (T * TK) / (THREADS * THREADS); // elements each thread loads per operand
  // Which element a thread loads: consecutive threads read consecutive addresses.
  const loadA = s.transposeA
    ? `let kk = idx / ${T}; let r = idx % ${T}; let row = m0 + r; let k = k0 + kk;
       var v = 0.0; if (row < ${M} && k < ${K}) { v = ${s.readA(`k * ${M} + row`)}; }`
    : `let r = idx / ${TK}; let kk = idx % ${TK}; let row = m0 + r; let k = k0 + kk;
       var v = 0.0; if (row < ${M} && k < ${K}) { v = ${s.readA(`row * ${K} + k`)}; }`;
  const loadB = s.transposeB
    ? `let c = idx / ${TK}; let kk = idx % ${TK}; let col = n0 + c; let k = k0 + kk;
       var v = 0.0; if (col < ${N} && k < ${K}) { v = ${s.readB(`col * ${K} + k`)}; }`
    : `let kk = idx / ${T}; let c = idx % ${T}; let col = n0 + c; let k = k0 + kk;
       var v = 0.0; if (col < ${N} && k < ${K}) { v = ${s.readB(`k * ${N} + col`)}; }`;
  // Straight-line code over named registers: a loop over a private array may be left
  // rolled by a shader compiler, and indexing it then goes through memory.
  const ids = [...Array(R).keys()];
  const cells = ids.flatMap((i) => ids.map((j) => [i, j] as const));
  return `
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let lid = ty * ${THREADS} + tx;
  let m0 = i32(workgroupId.y) * ${T};
  let n0 = i32(workgroupId.x) * ${T};
  ${cells.map(([i, j]) => `var acc${i}${j} = 0.0;`).join(' ')}
  for (var k0 = 0; k0 < ${K}; k0 = k0 + ${TK}) {
    for (var e = 0; e < ${PER}; e = e + 1) {
      let idx = lid + e * ${THREADS * THREADS};
      {
        ${loadA}
        ${s.geluA ? `v = v * ${geluSigmoid('v')};` : ''}
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
      ${cells.map(([i, j]) => `acc${i}${j} = fma(a${i}, b${j}, acc${i}${j});`).join('\n      ')}
    }
    ${s.afterSlice ?? ''}
    workgroupBarrier();
  }
  ${cells.map(([i, j]) => `store(m0 + ty + ${i * THREADS}, n0 + tx + ${j * THREADS}, acc${i}${j});`).join('\n  ')}`;
}
