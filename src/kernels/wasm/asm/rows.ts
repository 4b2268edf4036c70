/** Kernels over rows of C floats: column sums, the squared norm, LayerNorm forward and backward. */
import { F32, I32, V128, addTo, countdown, f32, f32load, f32one, f32store, f32x4add, f32x4mul, f32x4splat, f32x4sub, get, hsum, i32, op, set, tee, uleb, v128load, v128store, v128zero } from './assembler';

// --- reductions and LayerNorm over rows of C floats (C % 4 = 0) -----------------------

/** out[j] = Σ_r x[r, j]: the bias gradient (sum over the batch) without a transpose. */
export function sumRowsBody(): { locals: number[][]; code: number[] } {
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
export function sumSquaresBody(): { locals: number[][]; code: number[] } {
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
export function layerNormBody(): { locals: number[][]; code: number[] } {
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
export function layerNormGradBody(): { locals: number[][]; code: number[] } {
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
