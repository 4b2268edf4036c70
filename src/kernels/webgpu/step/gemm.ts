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
 * The product is kernels/webgpu/gemmTile.ts's tile loop, the one the tfjs kernel (webgpu/gemm.ts,
 * what the same maths runs as when the whole step cannot be used) runs too: a workgroup of 16×16
 * threads computes a (16·R)² tile of the output, A and B streaming through workgroup memory in
 * slices of 16 along K. Operands are (buffer, offset) pairs: weights are read where they sit in
 * the flat parameter buffer, gradients written where they sit in the flat gradient buffer.
 */
import { THREADS, TK, geluSigmoid, geluSlope, tileLoop, tileMemory, tiling } from '../gemmTile';
import { Bindings, type StepKernel } from './wgsl';

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

export function gemmKernel(s: GemmSpec): StepKernel {
  if (s.colSums && s.transposeB) throw new Error(`${s.label}: column sums need B untransposed`);
  const { M, N, K } = s;
  const { R, groups } = tiling(M, N);
  const bind = new Bindings();
  const A = bind.use(s.a.buf);
  const B = bind.use(s.b.buf);
  const bias = s.bias && bind.use(s.bias.buf);
  const res = s.residual && bind.use(s.residual.buf);
  const Z = s.geluGradZ && bind.use(s.geluGradZ.buf);
  const O = bind.use(s.out.buf, true);
  const CS = s.colSums && bind.use(s.colSums.buf, true);

  const epilogue = [
    bias ? `v = v + ${bias}[${s.bias!.at} + col];` : '',
    res ? `v = v + ${res}[${s.residual!.at} + row * ${N} + col];` : '',
    Z ? `let x = ${Z}[${s.geluGradZ!.at} + row * ${N} + col]; let s = ${geluSigmoid('x')}; v = v * ${geluSlope('x', 's')};` : '',
  ].join('\n          ');
  // The bias gradient: in the first row of workgroups, the 16 threads with ty = 0 add up each
  // slice of B (dY's rows k0..k0 + 15) while it sits in workgroup memory, R columns each.
  const ids = [...Array(R).keys()];
  const sumSlice = `if (workgroupId.y == 0u && ty == 0) {
      for (var kk = 0; kk < ${TK}; kk = kk + 1) { ${ids.map((j) => `cs${j} = cs${j} + Bs[kk][tx + ${j * THREADS}];`).join(' ')} }
    }`;
  const loop = tileLoop({
    R,
    M: `${M}`,
    N: `${N}`,
    K: `${K}`,
    readA: (i) => `${A}[${s.a.at} + ${i}]`,
    readB: (i) => `${B}[${s.b.at} + ${i}]`,
    transposeA: !!s.transposeA,
    transposeB: !!s.transposeB,
    geluA: !!s.geluA,
    afterSlice: CS ? sumSlice : '',
  });
  const code = `
${bind.declare()}
${tileMemory(R)}

fn store(row : i32, col : i32, acc : f32) {
  if (row < ${M} && col < ${N}) {
    var v = acc;
    ${epilogue}
    ${O}[${s.out.at} + row * ${N} + col] = v;
  }
}

@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(local_invocation_id) localId : vec3<u32>, @builtin(workgroup_id) workgroupId : vec3<u32>) {
  ${CS ? ids.map((j) => `var cs${j} = 0.0;`).join(' ') : ''}
  ${loop}
  ${
    CS
      ? `if (workgroupId.y == 0u && ty == 0) {
    ${ids.map((j) => `if (n0 + tx + ${j * THREADS} < ${N}) { ${CS}[${s.colSums!.at} + n0 + tx + ${j * THREADS}] = cs${j}; }`).join('\n    ')}
  }`
      : ''
  }
}`;
  return { label: s.label, kind: 'gemm', code, buffers: bind.names(), groups };
}
