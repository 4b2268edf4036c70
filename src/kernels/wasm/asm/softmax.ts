/**
 * Attention's causal softmax on f32x4, forward and backward, for (G, T, T) scores with T % 4 = 0:
 * row i (the query at position i) sees columns 0..i.
 *   forward:  y = softmax(x·scale) over the visible columns, exactly 0 beyond
 *   backward: dx = scale · y · (dy − Σ_j dy·y)
 * Columns past i are masked per lane (their index compared with i), so each row is whole quads.
 * The forward pass needs exp, which WebAssembly lacks: `expOf` below.
 */
import {
  F32, I32, V128, addTo, bitselect, countdown, f32, f32const, f32x4add, f32x4max, f32x4mul, f32x4nearest, f32x4splat, f32x4sub, get, hmax, hsum, i32,
  i32x4add, i32x4le_s, i32x4shl, i32x4splat, i32x4truncSatF32x4, op, set, tee, uleb, v128const, v128load, v128store, v128zero,
} from './assembler';

const splatF = (x: number) => [...f32const(x), ...f32x4splat()];

/** The constants `expOf` reads, as v128 locals set once per call. */
interface ExpLocals {
  lo: number; // −87.3: below it exp is under f32's normal range
  log2e: number;
  ln2hi: number;
  ln2lo: number;
  coef: number[]; // 1/720, 1/120, 1/24, 1/6, 1/2, 1, 1 (Horner, highest first)
  bias: number; // i32x4 127
  n: number; // scratch
  r: number; // scratch
}

function expConstants(l: ExpLocals): number[] {
  const coef = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  return [
    ...splatF(-87.3), ...set(l.lo),
    ...splatF(Math.LOG2E), ...set(l.log2e),
    ...splatF(0.693359375), ...set(l.ln2hi),
    ...splatF(-2.12194440e-4), ...set(l.ln2lo),
    ...coef.flatMap((c, k) => [...splatF(c), ...set(l.coef[k]!)]),
    ...i32(127), ...i32x4splat(), ...set(l.bias),
  ];
}

/**
 * Pops an f32x4 t (≤ 0 here) and pushes exp(t): n = round(t·log2 e), r = t − n·ln 2 (in two
 * parts, Cody–Waite), exp(r) by its Taylor series to r⁶ (|r| ≤ 0.35: error ~1e-7, f32's own),
 * times 2ⁿ built in the exponent bits.
 */
function expOf(l: ExpLocals): number[] {
  return [
    ...get(l.lo), ...f32x4max(), ...set(l.r), // t, clamped below
    ...get(l.r), ...get(l.log2e), ...f32x4mul(), ...f32x4nearest(), ...set(l.n),
    ...get(l.r), ...get(l.n), ...get(l.ln2hi), ...f32x4mul(), ...f32x4sub(),
    ...get(l.n), ...get(l.ln2lo), ...f32x4mul(), ...f32x4sub(), ...set(l.r),
    // Horner: ((((c0·r + c1)·r + c2)·r + …)·r + c6
    ...get(l.coef[0]!),
    ...l.coef.slice(1).flatMap((c) => [...get(l.r), ...f32x4mul(), ...get(c), ...f32x4add()]),
    ...get(l.n), ...i32x4truncSatF32x4(), ...get(l.bias), ...i32x4add(), ...i32(23), ...i32x4shl(),
    ...f32x4mul(),
  ];
}

/** Params: x, y (bytes), G, T, scale (f32). */
export function causalSoftmaxBody(): { locals: number[][]; code: number[] } {
  const [x, y, G, T, scale] = [0, 1, 2, 3, 4];
  const [g, i, q, px, py, quads, rowsLeft] = [5, 6, 7, 8, 9, 10, 11];
  const s = 12; // f32
  const [vS, vI, col, acc, v, NEG, e] = [13, 14, 15, 16, 17, 18, 19];
  const el: ExpLocals = { lo: 20, log2e: 21, ln2hi: 22, ln2lo: 23, coef: [24, 25, 26, 27, 28, 29, 30], bias: 31, n: 32, r: 33 };
  const FOUR = 34;
  // The row's quads, with `body` run for each (px/py at the quad, col = its column indices).
  const quadsOfRow = (body: number[]) => [
    ...get(quads), ...set(q),
    ...v128const([0, 1, 2, 3]), ...set(col),
    ...countdown(q, [...body, ...addTo(px, i32(16)), ...addTo(py, i32(16)), ...get(col), ...get(FOUR), ...i32x4add(), ...set(col)]),
    // back to the row's start
    ...get(px), ...get(quads), ...i32(4), op.i32shl, op.i32sub, ...set(px),
    ...get(py), ...get(quads), ...i32(4), op.i32shl, op.i32sub, ...set(py),
  ];
  const visible = [...get(col), ...get(vI), ...i32x4le_s()]; // lanes with column ≤ i
  const scaled = [...get(px), ...v128load(), ...get(vS), ...f32x4mul()];
  const row = [
    ...get(i), ...i32x4splat(), ...set(vI),
    // pass 1: the row's max over visible columns
    ...splatF(-3.4e38), ...set(acc),
    ...quadsOfRow([...scaled, ...get(NEG), ...visible, ...bitselect(), ...get(acc), ...f32x4max(), ...set(acc)]),
    ...hmax(acc), ...f32x4splat(), ...set(v),
    // pass 2: e = exp(x·scale − max) where visible, 0 elsewhere; store, and sum
    ...v128zero(), ...set(acc),
    ...quadsOfRow([
      ...get(py),
      ...scaled, ...get(v), ...f32x4sub(), ...expOf(el), ...v128zero(), ...visible, ...bitselect(), ...tee(e),
      ...v128store(),
      ...get(acc), ...get(e), ...f32x4add(), ...set(acc),
    ]),
    ...f32const(1), ...hsum(acc), f32.div, ...set(s),
    // pass 3: normalise
    ...get(s), ...f32x4splat(), ...set(v),
    ...quadsOfRow([...get(py), ...get(py), ...v128load(), ...get(v), ...f32x4mul(), ...v128store()]),
    // next row
    ...addTo(px, [...get(T), ...i32(2), op.i32shl]),
    ...addTo(py, [...get(T), ...i32(2), op.i32shl]),
    ...addTo(i, i32(1)),
  ];
  const code = [
    op.block, 0x40,
    ...get(G), op.i32eqz, op.br_if, 0,
    ...get(T), ...i32(2), op.i32shr_u, ...tee(quads), op.i32eqz, op.br_if, 0,
    ...expConstants(el),
    ...get(scale), ...f32x4splat(), ...set(vS),
    ...splatF(-3.4e38), ...set(NEG),
    ...i32(4), ...i32x4splat(), ...set(FOUR),
    ...get(x), ...set(px), ...get(y), ...set(py),
    ...get(G), ...set(g),
    ...countdown(g, [...i32(0), ...set(i), ...get(T), ...set(rowsLeft), ...countdown(rowsLeft, row)]),
    op.end,
  ];
  return { locals: [[...uleb(7), I32], [...uleb(1), F32], [...uleb(22), V128]], code };
}

/** Params: dy, y, dx (bytes), G·T rows, T, scale (f32). dx = scale·y·(dy − Σ dy·y), row by row. */
export function causalSoftmaxGradBody(): { locals: number[][]; code: number[] } {
  const [dy, y, dx, rows, T, scale] = [0, 1, 2, 3, 4, 5];
  const [r, q, quads] = [6, 7, 8];
  const [vS, acc, dot] = [9, 10, 11];
  const stepAll = [...addTo(dy, i32(16)), ...addTo(y, i32(16)), ...addTo(dx, i32(16))];
  const back = (p: number) => [...get(p), ...get(quads), ...i32(4), op.i32shl, op.i32sub, ...set(p)];
  const code = [
    op.block, 0x40,
    ...get(rows), op.i32eqz, op.br_if, 0,
    ...get(T), ...i32(2), op.i32shr_u, ...tee(quads), op.i32eqz, op.br_if, 0,
    ...get(scale), ...f32x4splat(), ...set(vS),
    ...get(rows), ...set(r),
    ...countdown(r, [
      ...v128zero(), ...set(acc),
      ...get(quads), ...set(q),
      ...countdown(q, [
        ...get(acc), ...get(dy), ...v128load(), ...get(y), ...v128load(), ...f32x4mul(), ...f32x4add(), ...set(acc),
        ...addTo(dy, i32(16)), ...addTo(y, i32(16)),
      ]),
      ...back(dy), ...back(y),
      ...hsum(acc), ...f32x4splat(), ...set(dot),
      ...get(quads), ...set(q),
      ...countdown(q, [
        ...get(dx),
        ...get(dy), ...v128load(), ...get(dot), ...f32x4sub(),
        ...get(y), ...v128load(), ...f32x4mul(), ...get(vS), ...f32x4mul(),
        ...v128store(),
        ...stepAll,
      ]),
    ]),
    op.end,
  ];
  return { locals: [[...uleb(3), I32], [...uleb(3), V128]], code };
}
