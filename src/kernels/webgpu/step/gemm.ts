/**
 * The whole-step engine's matrix product: every linear layer of a GPT step, forward and
 * backward, is one dispatch of this, with what surrounds the product folded in:
 *
 *   forward    out = op(A)·op(B) + bias (+ residual)      the residual add of a block costs no pass
 *              out = gelu(A)·B + bias + residual          the MLP's second half: GELU applied as A loads
 *   backward   out = (dY·Wᵀ) ⊙ gelu′(Z)                   GELU's gradient on the accumulators
 *              out = Aᵀ·dY, colSums = Σ_rows dY           a weight gradient and its bias's in one pass
 *
 * The bias gradient rides along with the weight gradient: dW = Aᵀ·dY runs over the rows of dY
 * (its K), and the workgroups of the first tile row add up the dY slices they already hold in
 * workgroup memory — one dispatch instead of two.
 *
 * The product: a workgroup of 16×16 threads computes a (16·R)² tile of the output, each thread
 * an R×R block in registers, A and B streaming through workgroup memory in slices of 16 along
 * K (as kernels/webgpu/gemm.ts, the tfjs kernel the same maths runs as when the whole step
 * cannot be used). Operands are (buffer, offset) pairs: weights are read where they sit in the
 * flat parameter buffer, gradients written where they sit in the flat gradient buffer.
 */
import { Bindings, geluSigmoid, geluSlope, type StepKernel } from './wgsl';

/** A matrix inside a buffer: the buffer's name and the offset (in floats) of its first element. */
export interface Operand {
  buf: string;
  at: number;
}

export interface GemmSpec {
  label: string;
  /** out is M×N; the product runs over K. */
  M: number;
  N: number;
  K: number;
  /** A: M×K, or K×M read transposed. */
  a: Operand;
  /** B: K×N, or N×K read transposed. */
  b: Operand;
  out: Operand;
  transposeA?: boolean;
  transposeB?: boolean;
  /** Apply GELU to A's elements as they load. */
  geluA?: boolean;
  /** Multiply each output by gelu′ of Z (M×N) at the same place. */
  geluGradZ?: Operand;
  /** Add bias[col]. */
  bias?: Operand;
  /** Add R (M×N) at the same place. */
  residual?: Operand;
  /** Also write Σ_k B[k, col] here (N floats): B not transposed. */
  colSums?: Operand;
}

const THREADS = 16;
const TK = 16;

export function gemmKernel(s: GemmSpec): StepKernel {
  if (s.colSums && s.transposeB) throw new Error(`${s.label}: column sums need B untransposed`);
  const { M, N, K } = s;
  // Big tiles reuse each loaded element more; small outputs need more workgroups.
  const R = Math.ceil(M / 64) * Math.ceil(N / 64) >= 32 ? 4 : 2;
  const T = THREADS * R;
  const PER = (T * TK) / (THREADS * THREADS);
  const bind = new Bindings();
  const A = bind.use(s.a.buf);
  const B = bind.use(s.b.buf);
  const bias = s.bias && bind.use(s.bias.buf);
  const res = s.residual && bind.use(s.residual.buf);
  const Z = s.geluGradZ && bind.use(s.geluGradZ.buf);
  const O = bind.use(s.out.buf, true);
  const CS = s.colSums && bind.use(s.colSums.buf, true);

  const loadA = s.transposeA
    ? `let kk = idx / ${T}; let r = idx % ${T}; let row = m0 + r; let k = k0 + kk;
       var v = 0.0; if (row < ${M} && k < ${K}) { v = ${A}[${s.a.at} + k * ${M} + row]; }`
    : `let r = idx / ${TK}; let kk = idx % ${TK}; let row = m0 + r; let k = k0 + kk;
       var v = 0.0; if (row < ${M} && k < ${K}) { v = ${A}[${s.a.at} + row * ${K} + k]; }`;
  const loadB = s.transposeB
    ? `let c = idx / ${TK}; let kk = idx % ${TK}; let col = n0 + c; let k = k0 + kk;
       var v = 0.0; if (col < ${N} && k < ${K}) { v = ${B}[${s.b.at} + col * ${K} + k]; }`
    : `let kk = idx / ${T}; let c = idx % ${T}; let col = n0 + c; let k = k0 + kk;
       var v = 0.0; if (col < ${N} && k < ${K}) { v = ${B}[${s.b.at} + k * ${N} + col]; }`;
  const epilogue = [
    bias ? `v = v + ${bias}[${s.bias!.at} + col];` : '',
    res ? `v = v + ${res}[${s.residual!.at} + row * ${N} + col];` : '',
    Z ? `let x = ${Z}[${s.geluGradZ!.at} + row * ${N} + col]; let s = ${geluSigmoid('x')}; v = v * ${geluSlope('x', 's')};` : '',
  ].join('\n          ');
  const ids = [...Array(R).keys()];
  const cells = ids.flatMap((i) => ids.map((j) => [i, j] as const));
  const code = `
${bind.declare()}
var<workgroup> As : array<array<f32, ${T}>, ${TK}>;
var<workgroup> Bs : array<array<f32, ${T}>, ${TK}>;

fn store(row : i32, col : i32, acc : f32) {
  if (row < ${M} && col < ${N}) {
    var v = acc;
    ${epilogue}
    ${O}[${s.out.at} + row * ${N} + col] = v;
  }
}

@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(local_invocation_id) lid3 : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let tx = i32(lid3.x);
  let ty = i32(lid3.y);
  let lid = ty * ${THREADS} + tx;
  let m0 = i32(wid.y) * ${T};
  let n0 = i32(wid.x) * ${T};
  ${cells.map(([i, j]) => `var acc${i}${j} = 0.0;`).join(' ')}
  ${CS ? ids.map((j) => `var cs${j} = 0.0;`).join(' ') : ''}
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
      ${ids.map((i) => `let a${i} = As[kk][ty + ${i * THREADS}];`).join(' ')}
      ${ids.map((j) => `let b${j} = Bs[kk][tx + ${j * THREADS}];`).join(' ')}
      ${cells.map(([i, j]) => `acc${i}${j} = fma(a${i}, b${j}, acc${i}${j});`).join('\n      ')}
    }
    ${
      CS
        ? `if (wid.y == 0u && ty == 0) {
      for (var kk = 0; kk < ${TK}; kk = kk + 1) { ${ids.map((j) => `cs${j} = cs${j} + Bs[kk][tx + ${j * THREADS}];`).join(' ')} }
    }`
        : ''
    }
    workgroupBarrier();
  }
  ${cells.map(([i, j]) => `store(m0 + ty + ${i * THREADS}, n0 + tx + ${j * THREADS}, acc${i}${j});`).join('\n  ')}
  ${
    CS
      ? `if (wid.y == 0u && ty == 0) {
    ${ids.map((j) => `if (n0 + tx + ${j * THREADS} < ${N}) { ${CS}[${s.colSums!.at} + n0 + tx + ${j * THREADS}] = cs${j}; }`).join('\n    ')}
  }`
      : ''
  }
}`;
  return { label: s.label, kind: 'gemm', code, buffers: bind.names(), groups: [Math.ceil(N / T), Math.ceil(M / T), 1] };
}
