/** The matMul kernel: a 4×8 register-tiled f32x4 product (see kernels/wasm/module.ts for why). */
import { I32, V128, addTo, countdown, f32x4add, f32x4madd, f32x4mul, get, i32, op, set, tee, uleb, v128load, v128load32splat, v128store, v128zero } from './assembler';

// --- the kernel: C[g] = op(A[g]) · B[g] (+ bias), row-major, M % 4 = 0, N % 8 = 0 ------
//
// op(A) is A (M×K) or Aᵀ (A stored K×M): the caller passes A's strides, so a product with
// a transposed left operand (the weight gradient Xᵀ·dY) needs no transpose pass.
// Each pass of the inner loop multiplies one element of each of 4 rows of op(A)
// (splatted to 4 lanes) by 8 consecutive elements of a row of B, into 8 accumulators:
// a 4×8 tile of C stays in registers for the whole dot product.
//
// K is taken in slices of `kc` (K-blocking): the K×8 panel of B that a column block reads
// must stay in L1 while every row block of A streams past it, and at K = 768 (a weight
// gradient Xᵀ·dY runs over the batch's rows) the panel alone is 24 KiB, with A's rows on top
// — past a 32 KiB L1. A transposed A makes it worse: each k touches a new cache line of A
// for 16 useful bytes. With slices of 256, the B slice is 8 KiB and A's lines for the slice
// stay in L1 across the 4 row blocks that share them. Later slices start from C's partial sums.

export function batchMatMulBody(fma: boolean, kc = 256): { locals: number[][]; code: number[] } {
  // params: a, b, c, bias (byte addresses; bias 0 = none), G, M, K, N,
  // aRow and aK: bytes between consecutive rows of op(A) and consecutive k
  const [a, b, c, bias, G, M, K, N, aRow, aK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [rowBlocks, colBlocks, k, pa, pb, pc, sB, r2, r3, jo, g, aBlock, cBlock] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const [kDone, kLen] = [23, 24]; // the K slice: elements done before it, and its length
  const acc = [25, 26, 27, 28, 29, 30, 31, 32];
  const [b0, b1, av] = [33, 34, 35];

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
  const loadRow = (row: number) => [
    ...get(pc), ...v128load(0), ...set(acc[2 * row]!),
    ...get(pc), ...v128load(16), ...set(acc[2 * row + 1]!),
    ...(row < 3 ? addTo(pc, get(sB)) : []),
  ];
  const iLoop = countdown(rowBlocks, [
    ...get(cBlock), ...get(jo), op.i32add, ...set(pc),
    ...get(kDone), op.i32eqz, op.if, 0x40,
    // first slice: accumulators start at the bias (or 0): the bias add costs nothing
    ...get(bias), op.if, 0x40,
    ...get(bias), ...get(jo), op.i32add, ...v128load(0), ...set(b0),
    ...get(bias), ...get(jo), op.i32add, ...v128load(16), ...set(b1),
    op.else,
    ...v128zero(), ...set(b0), ...v128zero(), ...set(b1),
    op.end,
    ...acc.flatMap((l, i) => [...get(i % 2 === 0 ? b0 : b1), ...set(l)]),
    op.else,
    // later slices: from the partial sums in C
    ...loadRow(0), ...loadRow(1), ...loadRow(2), ...loadRow(3),
    ...get(cBlock), ...get(jo), op.i32add, ...set(pc),
    op.end,
    ...get(aBlock), ...set(pa),
    ...get(b), ...get(jo), op.i32add, ...get(kDone), ...get(sB), op.i32mul, op.i32add, ...set(pb),
    ...get(kLen), ...set(k),
    ...kLoop,
    ...storeRow(0), ...storeRow(1), ...storeRow(2), ...storeRow(3),
    // next 4 rows of op(A) and of C
    ...addTo(aBlock, [...get(aRow), ...i32(2), op.i32shl]),
    ...addTo(cBlock, [...get(sB), ...i32(2), op.i32shl]),
  ]);
  const jLoop = countdown(colBlocks, [
    ...get(a), ...get(kDone), ...get(aK), op.i32mul, op.i32add, ...set(aBlock),
    ...get(c), ...set(cBlock),
    ...get(M), ...i32(2), op.i32shr_u, ...set(rowBlocks),
    ...iLoop,
    ...addTo(jo, i32(32)),
  ]);
  const sliceLoop = [
    op.loop, 0x40,
    // kLen = min(kc, K − kDone)
    ...i32(kc), ...get(K), ...get(kDone), op.i32sub, ...tee(kLen), ...get(kLen), ...i32(kc), op.i32gt_u, op.select, ...set(kLen),
    ...i32(0), ...set(jo),
    ...get(N), ...i32(3), op.i32shr_u, ...set(colBlocks),
    ...jLoop,
    ...addTo(kDone, get(kLen)),
    ...get(kDone), ...get(K), op.i32sub, op.br_if, 0, // another slice while kDone ≠ K
    op.end,
  ];
  const gLoop = countdown(g, [
    ...i32(0), ...set(kDone),
    ...sliceLoop,
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
  return { locals: [[...uleb(15), I32], [...uleb(11), V128]], code };
}
