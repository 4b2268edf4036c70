/** Attention's layout moves: one part of (B·T, P·C) rows to or from (B, heads, T, hs), 4 floats a move. */
import { I32, addTo, countdown, get, i32, op, set, uleb, v128load, v128store } from './assembler';

/**
 * toHeads: part[b, h, t, :] = flat[b·T + t, col + h·hs + :]; otherwise the reverse.
 * Params (bytes for addresses and strides): flat, part, B, T, heads, hs (floats, % 4 = 0),
 * rowBytes (a row of flat: 4·P·C), colBytes (this part's first column: 4·p·C).
 * The part is walked in order (b, h, t), so its side of the copy is sequential; the flat
 * side steps a row at a time.
 */
export function moveHeadsBody(toHeads: boolean): { locals: number[][]; code: number[] } {
  const [flat, part, B, T, heads, hs, rowBytes, colBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [b, h, t, d, src, bBase, hBase, quads, hsBytes] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  // One quad: toHeads reads flat (src) and writes part; merging reads part and writes flat.
  const move = toHeads
    ? [...get(part), ...get(src), ...v128load(), ...v128store()]
    : [...get(src), ...get(part), ...v128load(), ...v128store()];
  const code = [
    op.block, 0x40,
    ...get(B), op.i32eqz, op.br_if, 0,
    ...get(T), op.i32eqz, op.br_if, 0,
    ...get(heads), op.i32eqz, op.br_if, 0,
    ...get(hs), ...i32(2), op.i32shr_u, ...set(quads),
    ...get(quads), op.i32eqz, op.br_if, 0,
    ...get(hs), ...i32(2), op.i32shl, ...set(hsBytes),
    ...get(flat), ...get(colBytes), op.i32add, ...set(bBase),
    ...get(B), ...set(b),
    ...countdown(b, [
      ...get(bBase), ...set(hBase),
      ...get(heads), ...set(h),
      ...countdown(h, [
        ...get(hBase), ...set(src),
        ...get(T), ...set(t),
        ...countdown(t, [
          ...get(quads), ...set(d),
          ...countdown(d, [...move, ...addTo(src, i32(16)), ...addTo(part, i32(16))]),
          // back to this row's start, then the next row
          ...get(src), ...get(hsBytes), op.i32sub, ...get(rowBytes), op.i32add, ...set(src),
        ]),
        ...addTo(hBase, get(hsBytes)),
      ]),
      ...addTo(bBase, [...get(T), ...get(rowBytes), op.i32mul]),
    ]),
    op.end,
  ];
  return { locals: [[...uleb(9), I32]], code };
}
