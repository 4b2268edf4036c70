/** The matMul kernel: a 4×8 register-tiled f32x4 product (see kernels/wasm/module.ts for why). */
import { I32, V128, addTo, countdown, f32x4add, f32x4madd, f32x4mul, get, i32, op, set, uleb, v128load, v128load32splat, v128store, v128zero } from './assembler';

// --- the kernel: C[g] = op(A[g]) · B[g] (+ bias), row-major, M % 4 = 0, N % 8 = 0 ------
//
// op(A) is A (M×K) or Aᵀ (A stored K×M): the caller passes A's strides, so a product with
// a transposed left operand (the weight gradient Xᵀ·dY) needs no transpose pass.
// Each pass of the inner loop multiplies one element of each of 4 rows of op(A)
// (splatted to 4 lanes) by 8 consecutive elements of a row of B, into 8 accumulators:
// a 4×8 tile of C stays in registers for the whole dot product.

export function batchMatMulBody(fma: boolean): { locals: number[][]; code: number[] } {
  // params: a, b, c, bias (byte addresses; bias 0 = none), G, M, K, N,
  // aRow and aK: bytes between consecutive rows of op(A) and consecutive k
  const [a, b, c, bias, G, M, K, N, aRow, aK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [rowBlocks, colBlocks, k, pa, pb, pc, sB, r2, r3, jo, g, aBlock, cBlock] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const acc = [23, 24, 25, 26, 27, 28, 29, 30];
  const [b0, b1, av] = [31, 32, 33];

  const multiplyRow = (row: number) => [
    // av = splat(op(A)[i+row, k]); acc[2row] += av·b0; acc[2row+1] += av·b1
    ...get(pa),
    ...(row === 0 ? [] : [...get([0, aRow, r2, r3][row]!), op.i32add]),
    ...v128load32splat(),
    ...set(av),
    ...(fma
      ? [
          ...get(av), ...get(b0), ...get(acc[2 * row]!), ...f32x4madd(), ...set(acc[2 * row]!),
          ...get(av), ...get(b1), ...get(acc[2 * row + 1]!), ...f32x4madd(), ...set(acc[2 * row + 1]!),
        ]
      : [
          ...get(acc[2 * row]!), ...get(av), ...get(b0), ...f32x4mul(), ...f32x4add(), ...set(acc[2 * row]!),
          ...get(acc[2 * row + 1]!), ...get(av), ...get(b1), ...f32x4mul(), ...f32x4add(), ...set(acc[2 * row + 1]!),
        ]),
  ];
  const storeRow = (row: number) => [
    ...get(pc), ...get(acc[2 * row]!), ...v128store(0),
    ...get(pc), ...get(acc[2 * row + 1]!), ...v128store(16),
    ...(row < 3 ? addTo(pc, get(sB)) : []),
  ];

  const kLoop = countdown(k, [
    ...get(pb), ...v128load(0), ...set(b0),
    ...get(pb), ...v128load(16), ...set(b1),
    ...multiplyRow(0), ...multiplyRow(1), ...multiplyRow(2), ...multiplyRow(3),
    ...addTo(pa, get(aK)),
    ...addTo(pb, get(sB)),
  ]);
  // Column blocks outside, row blocks inside: the K×8 panel of B that a column block
  // reads stays in L1 while every row block of A streams past it.
  const iLoop = countdown(rowBlocks, [
    // accumulators start at the bias (or 0): the bias add costs nothing
    ...get(bias), op.if, 0x40,
    ...get(bias), ...get(jo), op.i32add, ...v128load(0), ...set(b0),
    ...get(bias), ...get(jo), op.i32add, ...v128load(16), ...set(b1),
    op.else,
    ...v128zero(), ...set(b0), ...v128zero(), ...set(b1),
    op.end,
    ...acc.flatMap((l, i) => [...get(i % 2 === 0 ? b0 : b1), ...set(l)]),
    ...get(aBlock), ...set(pa),
    ...get(b), ...get(jo), op.i32add, ...set(pb),
    ...get(K), ...set(k),
    ...kLoop,
    ...get(cBlock), ...get(jo), op.i32add, ...set(pc),
    ...storeRow(0), ...storeRow(1), ...storeRow(2), ...storeRow(3),
    // next 4 rows of op(A) and of C
    ...addTo(aBlock, [...get(aRow), ...i32(2), op.i32shl]),
    ...addTo(cBlock, [...get(sB), ...i32(2), op.i32shl]),
  ]);
  const jLoop = countdown(colBlocks, [
    ...get(a), ...set(aBlock),
    ...get(c), ...set(cBlock),
    ...get(M), ...i32(2), op.i32shr_u, ...set(rowBlocks),
    ...iLoop,
    ...addTo(jo, i32(32)),
  ]);
  const gLoop = countdown(g, [
    ...i32(0), ...set(jo),
    ...get(N), ...i32(3), op.i32shr_u, ...set(colBlocks),
    ...jLoop,
    // next batch: A, B and C batches are contiguous
    ...addTo(a, [...get(M), ...get(K), op.i32mul, ...i32(2), op.i32shl]),
    ...addTo(b, [...get(K), ...get(sB), op.i32mul]),
    ...addTo(c, [...get(M), ...get(sB), op.i32mul]),
  ]);
  const code = [
    ...get(N), ...i32(2), op.i32shl, ...set(sB),
    ...get(aRow), ...i32(1), op.i32shl, ...set(r2),
    ...get(r2), ...get(aRow), op.i32add, ...set(r3),
    // nothing to do for an empty product (the countdown loops need counts ≥ 1)
    op.block, 0x40,
    ...get(G), op.i32eqz, op.br_if, 0,
    ...get(M), op.i32eqz, op.br_if, 0,
    ...get(K), op.i32eqz, op.br_if, 0,
    ...get(N), op.i32eqz, op.br_if, 0,
    ...get(G), ...set(g),
    ...gLoop,
    op.end,
  ];
  return { locals: [[...uleb(13), I32], [...uleb(11), V128]], code };
}
