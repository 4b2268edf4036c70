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
 * It imports the backend's `WebAssembly.Memory`, so inputs and outputs are used in place
 * (tensor data on the wasm backend lives in that heap at `memoryOffset`), no copies.
 */

// --- a minimal assembler -----------------------------------------------------------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};
const str = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br_if: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32const: 0x41,
  i32eqz: 0x45,
  i32add: 0x6a,
  i32sub: 0x6b,
  i32mul: 0x6c,
  i32shl: 0x74,
  i32shr_u: 0x76,
} as const;
const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];
const memarg = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];
const v128load = (offset = 0) => simd(0x00, ...memarg(2, offset));
const v128load32splat = (offset = 0) => simd(0x09, ...memarg(2, offset));
const v128store = (offset = 0) => simd(0x0b, ...memarg(2, offset));
const v128zero = () => simd(0x0c, ...new Array<number>(16).fill(0));
const f32x4add = () => simd(0xe4);
const f32x4sub = () => simd(0xe5);
const f32x4mul = () => simd(0xe6);
const f32x4div = () => simd(0xe7);
const f32x4sqrt = () => simd(0xe3);
const f32x4splat = () => simd(0x13);
/** Relaxed SIMD's a·b + c: one fused multiply-add where the CPU has one (x86 FMA, Arm). */
const f32x4madd = () => simd(0x105);
const f32one = () => [0x43, 0x00, 0x00, 0x80, 0x3f]; // f32.const 1.0
const f32sub = 0x93;
const f32 = { add: 0x92, mul: 0x94, div: 0x95, sqrt: 0x91 } as const;
const f32load = (offset = 0) => [0x2a, ...memarg(2, offset)];
const f32store = (offset = 0) => [0x38, ...memarg(2, offset)];
const lane = (l: number) => simd(0x1f, l); // f32x4.extract_lane
/** Push the sum of the four lanes of v128 local `v` (an f32). */
const hsum = (v: number) => [...get(v), ...lane(0), ...get(v), ...lane(1), f32.add, ...get(v), ...lane(2), f32.add, ...get(v), ...lane(3), f32.add];

const get = (l: number) => [op.get, ...uleb(l)];
const set = (l: number) => [op.set, ...uleb(l)];
const tee = (l: number) => [op.tee, ...uleb(l)];
const i32 = (n: number) => [op.i32const, ...sleb(n)];
/** local[l] += delta (a local or a constant). */
const addTo = (l: number, delta: number[]) => [...get(l), ...delta, op.i32add, ...set(l)];
/** A counted loop: body runs while (--counter) != 0 after each pass; counter must start ≥ 1. */
const countdown = (counter: number, body: number[]) => [
  op.loop, 0x40,
  ...body,
  ...get(counter), ...i32(1), op.i32sub, ...tee(counter), ...i32(0), 0x47 /* i32.ne */, op.br_if, 0,
  op.end,
];

// --- the kernel: C[g] = op(A[g]) · B[g] (+ bias), row-major, M % 4 = 0, N % 8 = 0 ------
//
// op(A) is A (M×K) or Aᵀ (A stored K×M): the caller passes A's strides, so a product with
// a transposed left operand (the weight gradient Xᵀ·dY) needs no transpose pass.
// Each pass of the inner loop multiplies one element of each of 4 rows of op(A)
// (splatted to 4 lanes) by 8 consecutive elements of a row of B, into 8 accumulators:
// a 4×8 tile of C stays in registers for the whole dot product.

function batchMatMulBody(fma: boolean): { locals: number[][]; code: number[] } {
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

// --- AdamW over 4-float quads (see kernels/adamw.ts for the maths) ------------------

function adamwBody(): { locals: number[][]; code: number[] } {
  // params: p, g, m, v, pOut, mOut, vOut (byte addresses), quads (i32);
  // scale, beta1, beta2, c1, c2, epsilon, lr, decay (f32)
  const [p, g, m, v, po, mo, vo, quads] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [scale, beta1, beta2, c1, c2, epsilon, lr, decay] = [8, 9, 10, 11, 12, 13, 14, 15];
  const [S, B1, K1, B2, K2, C1, C2, EPS, LR, DEC, gq, mq, vq] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28];
  const off = 29;
  const at = (base: number) => [...get(base), ...get(off), op.i32add];
  const load = (base: number) => [...at(base), ...v128load()];
  const splat = (from: number[], to: number) => [...from, ...f32x4splat(), ...set(to)];
  const code = [
    ...splat(get(scale), S), ...splat(get(beta1), B1), ...splat(get(beta2), B2),
    ...splat([...f32one(), ...get(beta1), f32sub], K1), ...splat([...f32one(), ...get(beta2), f32sub], K2),
    ...splat(get(c1), C1), ...splat(get(c2), C2), ...splat(get(epsilon), EPS), ...splat(get(lr), LR), ...splat(get(decay), DEC),
    op.block, 0x40,
    ...get(quads), op.i32eqz, op.br_if, 0,
    ...countdown(quads, [
      // g' = g·scale;  m' = β1·m + (1−β1)·g';  v' = β2·v + (1−β2)·g'²
      ...load(g), ...get(S), ...f32x4mul(), ...set(gq),
      ...load(m), ...get(B1), ...f32x4mul(), ...get(gq), ...get(K1), ...f32x4mul(), ...f32x4add(), ...set(mq),
      ...load(v), ...get(B2), ...f32x4mul(), ...get(gq), ...get(gq), ...f32x4mul(), ...get(K2), ...f32x4mul(), ...f32x4add(), ...set(vq),
      ...at(mo), ...get(mq), ...v128store(),
      ...at(vo), ...get(vq), ...v128store(),
      // p' = p·decay − lr·(m'·c1)/(√(v'·c2) + ε)
      ...at(po),
      ...load(p), ...get(DEC), ...f32x4mul(),
      ...get(mq), ...get(C1), ...f32x4mul(), ...get(LR), ...f32x4mul(),
      ...get(vq), ...get(C2), ...f32x4mul(), ...f32x4sqrt(), ...get(EPS), ...f32x4add(),
      ...f32x4div(), ...f32x4sub(),
      ...v128store(),
      ...addTo(off, i32(16)),
    ]),
    op.end,
  ];
  return { locals: [[...uleb(13), V128], [...uleb(1), I32]], code };
}

// --- reductions and LayerNorm over rows of C floats (C % 4 = 0) -----------------------

/** out[j] = Σ_r x[r, j]: the bias gradient (sum over the batch) without a transpose. */
function sumRowsBody(): { locals: number[][]; code: number[] } {
  const [x, out, R, C] = [0, 1, 2, 3];
  const [q, po, row] = [4, 5, 6];
  const zeroOut = [
    ...get(out), ...set(po), ...get(C), ...i32(2), op.i32shr_u, ...set(q),
    ...countdown(q, [...get(po), ...v128zero(), ...v128store(), ...addTo(po, i32(16))]),
  ];
  const addRow = countdown(row, [
    ...get(out), ...set(po), ...get(C), ...i32(2), op.i32shr_u, ...set(q),
    ...countdown(q, [
      ...get(po), ...get(po), ...v128load(), ...get(x), ...v128load(), ...f32x4add(), ...v128store(),
      ...addTo(po, i32(16)), ...addTo(x, i32(16)),
    ]),
  ]);
  const code = [
    op.block, 0x40,
    ...get(C), op.i32eqz, op.br_if, 0,
    ...zeroOut,
    ...get(R), op.i32eqz, op.br_if, 0,
    ...get(R), ...set(row),
    ...addRow,
    op.end,
  ];
  return { locals: [[...uleb(3), I32]], code };
}

/** Σ x² over `quads`·4 floats: one gradient's share of the global norm (clipping). */
function sumSquaresBody(): { locals: number[][]; code: number[] } {
  const [x, quads] = [0, 1];
  const acc = 2;
  const code = [
    ...v128zero(), ...set(acc),
    op.block, 0x40,
    ...get(quads), op.i32eqz, op.br_if, 0,
    ...countdown(quads, [
      ...get(x), ...v128load(), ...tee(3), ...get(3), ...f32x4mul(), ...get(acc), ...f32x4add(), ...set(acc),
      ...addTo(x, i32(16)),
    ]),
    op.end,
    ...hsum(acc),
  ];
  return { locals: [[...uleb(2), V128]], code };
}

/**
 * LayerNorm forward, row by row: μ, σ² = mean((x − μ)²), rstd = 1/√(σ² + ε),
 * x̂ = (x − μ)·rstd, y = x̂·g + b. Writes y, x̂ and rstd (the gradient's inputs).
 */
function layerNormBody(): { locals: number[][]; code: number[] } {
  const [x, g, b, y, xhat, rstd, R, C, invC, eps] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [row, q, px, j] = [10, 11, 12, 13];
  const [rs] = [14]; // f32
  const [acc, M, RS, d] = [15, 16, 17, 18]; // v128
  const quads = [...get(C), ...i32(2), op.i32shr_u, ...set(q)];
  const rowBody = [
    // mean
    ...v128zero(), ...set(acc), ...get(x), ...set(px), ...quads,
    ...countdown(q, [...get(px), ...v128load(), ...get(acc), ...f32x4add(), ...set(acc), ...addTo(px, i32(16))]),
    ...hsum(acc), ...get(invC), f32.mul, ...f32x4splat(), ...set(M),
    // variance, rstd
    ...v128zero(), ...set(acc), ...get(x), ...set(px), ...quads,
    ...countdown(q, [
      ...get(px), ...v128load(), ...get(M), ...f32x4sub(), ...tee(d), ...get(d), ...f32x4mul(), ...get(acc), ...f32x4add(), ...set(acc),
      ...addTo(px, i32(16)),
    ]),
    ...f32one(), ...hsum(acc), ...get(invC), f32.mul, ...get(eps), f32.add, f32.sqrt, f32.div, ...set(rs),
    ...get(rstd), ...get(rs), ...f32store(), ...addTo(rstd, i32(4)),
    ...get(rs), ...f32x4splat(), ...set(RS),
    // x̂ and y
    ...i32(0), ...set(j), ...quads,
    ...countdown(q, [
      ...get(x), ...get(j), op.i32add, ...v128load(), ...get(M), ...f32x4sub(), ...get(RS), ...f32x4mul(), ...set(d),
      ...get(xhat), ...get(j), op.i32add, ...get(d), ...v128store(),
      ...get(y), ...get(j), op.i32add,
      ...get(d), ...get(g), ...get(j), op.i32add, ...v128load(), ...f32x4mul(), ...get(b), ...get(j), op.i32add, ...v128load(), ...f32x4add(),
      ...v128store(),
      ...addTo(j, i32(16)),
    ]),
    ...addTo(x, [...get(C), ...i32(2), op.i32shl]),
    ...addTo(y, [...get(C), ...i32(2), op.i32shl]),
    ...addTo(xhat, [...get(C), ...i32(2), op.i32shl]),
  ];
  const code = [
    op.block, 0x40,
    ...get(R), op.i32eqz, op.br_if, 0,
    ...get(C), op.i32eqz, op.br_if, 0,
    ...get(R), ...set(row),
    ...countdown(row, rowBody),
    op.end,
  ];
  return { locals: [[...uleb(4), I32], [...uleb(1), F32], [...uleb(4), V128]], code };
}

/**
 * LayerNorm backward: with d = dy·g, dx = rstd·(d − mean(d) − x̂·mean(d·x̂));
 * dg = Σ_rows dy·x̂, db = Σ_rows dy — all in two passes over each row.
 */
function layerNormGradBody(): { locals: number[][]; code: number[] } {
  const [dy, xhat, rstd, g, dx, dg, db, R, C, invC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [row, q, j] = [10, 11, 12];
  const [a1, a2, dyv, xh, d, M1, M2, RS] = [13, 14, 15, 16, 17, 18, 19, 20]; // v128
  const quads = [...get(C), ...i32(2), op.i32shr_u, ...set(q)];
  const at = (base: number) => [...get(base), ...get(j), op.i32add];
  const zero = (base: number) => [...i32(0), ...set(j), ...quads, ...countdown(q, [...at(base), ...v128zero(), ...v128store(), ...addTo(j, i32(16))])];
  const rowBody = [
    ...v128zero(), ...set(a1), ...v128zero(), ...set(a2),
    ...i32(0), ...set(j), ...quads,
    ...countdown(q, [
      ...at(dy), ...v128load(), ...set(dyv),
      ...at(xhat), ...v128load(), ...set(xh),
      ...get(dyv), ...at(g), ...v128load(), ...f32x4mul(), ...tee(d),
      ...get(a1), ...f32x4add(), ...set(a1),
      ...get(d), ...get(xh), ...f32x4mul(), ...get(a2), ...f32x4add(), ...set(a2),
      ...at(dg), ...at(dg), ...v128load(), ...get(dyv), ...get(xh), ...f32x4mul(), ...f32x4add(), ...v128store(),
      ...at(db), ...at(db), ...v128load(), ...get(dyv), ...f32x4add(), ...v128store(),
      ...addTo(j, i32(16)),
    ]),
    ...hsum(a1), ...get(invC), f32.mul, ...f32x4splat(), ...set(M1),
    ...hsum(a2), ...get(invC), f32.mul, ...f32x4splat(), ...set(M2),
    ...get(rstd), ...f32load(), ...f32x4splat(), ...set(RS),
    ...i32(0), ...set(j), ...quads,
    ...countdown(q, [
      ...at(dx),
      ...at(dy), ...v128load(), ...at(g), ...v128load(), ...f32x4mul(), ...get(M1), ...f32x4sub(),
      ...at(xhat), ...v128load(), ...get(M2), ...f32x4mul(), ...f32x4sub(),
      ...get(RS), ...f32x4mul(),
      ...v128store(),
      ...addTo(j, i32(16)),
    ]),
    ...addTo(dy, [...get(C), ...i32(2), op.i32shl]),
    ...addTo(xhat, [...get(C), ...i32(2), op.i32shl]),
    ...addTo(dx, [...get(C), ...i32(2), op.i32shl]),
    ...addTo(rstd, i32(4)),
  ];
  const code = [
    op.block, 0x40,
    ...get(C), op.i32eqz, op.br_if, 0,
    ...zero(dg), ...zero(db),
    ...get(R), op.i32eqz, op.br_if, 0,
    ...get(R), ...set(row),
    ...countdown(row, rowBody),
    op.end,
  ];
  return { locals: [[...uleb(3), I32], [...uleb(8), V128]], code };
}

// --- GELU's arithmetic around tfjs's (vectorised, exact) Sigmoid ----------------------

/** out = x·(c1 + c2·x²): GELU's sigmoid argument 2k·(x + 0.044715·x³), with c1 = 2k, c2 = 2k·0.044715. */
function geluArgBody(): { locals: number[][]; code: number[] } {
  const [x, out, quads, c1, c2] = [0, 1, 2, 3, 4];
  const [C1, C2, v] = [5, 6, 7];
  const code = [
    ...get(c1), ...f32x4splat(), ...set(C1), ...get(c2), ...f32x4splat(), ...set(C2),
    op.block, 0x40,
    ...get(quads), op.i32eqz, op.br_if, 0,
    ...countdown(quads, [
      ...get(out),
      ...get(x), ...v128load(), ...tee(v), ...get(v), ...get(v), ...f32x4mul(), ...get(C2), ...f32x4mul(), ...get(C1), ...f32x4add(), ...f32x4mul(),
      ...v128store(),
      ...addTo(x, i32(16)), ...addTo(out, i32(16)),
    ]),
    op.end,
  ];
  return { locals: [[...uleb(3), V128]], code };
}

/** dx = dy·(s + x·s·(1 − s)·(a + b·x²)), a = 2k, b = 3·0.044715·2k: GELU's gradient given s. */
function geluGradBody(): { locals: number[][]; code: number[] } {
  const [dy, x, sg, dx, quads, a, b] = [0, 1, 2, 3, 4, 5, 6];
  const [A, B, ONE, xv, sv] = [7, 8, 9, 10, 11];
  const code = [
    ...get(a), ...f32x4splat(), ...set(A), ...get(b), ...f32x4splat(), ...set(B), ...f32one(), ...f32x4splat(), ...set(ONE),
    op.block, 0x40,
    ...get(quads), op.i32eqz, op.br_if, 0,
    ...countdown(quads, [
      ...get(dx),
      ...get(x), ...v128load(), ...set(xv),
      ...get(sg), ...v128load(), ...set(sv),
      // s + x·s·(1 − s)·(a + b·x²)
      ...get(sv),
      ...get(xv), ...get(sv), ...f32x4mul(), ...get(ONE), ...get(sv), ...f32x4sub(), ...f32x4mul(),
      ...get(xv), ...get(xv), ...f32x4mul(), ...get(B), ...f32x4mul(), ...get(A), ...f32x4add(), ...f32x4mul(),
      ...f32x4add(),
      ...get(dy), ...v128load(), ...f32x4mul(),
      ...v128store(),
      ...addTo(dy, i32(16)), ...addTo(x, i32(16)), ...addTo(sg, i32(16)), ...addTo(dx, i32(16)),
    ]),
    op.end,
  ];
  return { locals: [[...uleb(5), V128]], code };
}

/**
 * The module's bytes: imports env.memory, exports `batchMatMul` and `adamw` (see
 * KernelModule). `sharedMaxPages`: import a shared memory of at most that many 64 KiB
 * pages instead (the threads of gemmThreads.ts). `fma`: the matMul's inner loop uses
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
  ];
  const fn = (f: { locals: number[][]; code: number[] }) => {
    const body = [...vec(f.locals), ...f.code, op.end];
    return [...uleb(body.length), ...body];
  };
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
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
  adamw(p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, quads: number,
    scale: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, lr: number, decay: number): void;
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
