/** The last two axes swapped, 4×4 blocks at a time in registers (four loads, eight shuffles, four stores). */
import { I32, V128, addTo, countdown, get, i32, op, set, shuffle32, uleb, v128load, v128store } from './assembler';

/**
 * dst[g] = src[g]ᵀ for G matrices of R×C floats (R % 4 = C % 4 = 0); params src, dst
 * (bytes), G, R, C. A 4×4 block a, b, c, d (rows) becomes its columns: interleave a with b
 * and c with d, then take halves of those.
 */
export function transposeBody(): { locals: number[][]; code: number[] } {
  const [src, dst, G, R, C] = [0, 1, 2, 3, 4];
  const [g, i, j, ps, pd, rowB, colB, srcBlock, dstBlock] = [5, 6, 7, 8, 9, 10, 11, 12, 13];
  const [a, b, c, d, t0, t1, t2, t3] = [14, 15, 16, 17, 18, 19, 20, 21];
  const at = (base: number, times: number, stride: number) => [...get(base), ...(times ? [...get(stride), ...i32(times), op.i32mul, op.i32add] : [])];
  const store = (k: number, x: number, y: number, lanes: [number, number, number, number]) => [
    ...at(pd, k, colB), ...get(x), ...get(y), ...shuffle32(lanes), ...v128store(),
  ];
  const block = [
    ...at(ps, 0, rowB), ...v128load(), ...set(a),
    ...at(ps, 1, rowB), ...v128load(), ...set(b),
    ...at(ps, 2, rowB), ...v128load(), ...set(c),
    ...at(ps, 3, rowB), ...v128load(), ...set(d),
    ...get(a), ...get(b), ...shuffle32([0, 4, 1, 5]), ...set(t0), // a0 b0 a1 b1
    ...get(a), ...get(b), ...shuffle32([2, 6, 3, 7]), ...set(t1), // a2 b2 a3 b3
    ...get(c), ...get(d), ...shuffle32([0, 4, 1, 5]), ...set(t2), // c0 d0 c1 d1
    ...get(c), ...get(d), ...shuffle32([2, 6, 3, 7]), ...set(t3), // c2 d2 c3 d3
    ...store(0, t0, t2, [0, 1, 4, 5]), // a0 b0 c0 d0
    ...store(1, t0, t2, [2, 3, 6, 7]),
    ...store(2, t1, t3, [0, 1, 4, 5]),
    ...store(3, t1, t3, [2, 3, 6, 7]),
    ...addTo(ps, i32(16)), // next 4 columns of src
    ...addTo(pd, [...get(colB), ...i32(2), op.i32shl]), // next 4 rows of dst
  ];
  const code = [
    op.block, 0x40,
    ...get(G), op.i32eqz, op.br_if, 0,
    ...get(R), ...i32(2), op.i32shr_u, op.i32eqz, op.br_if, 0,
    ...get(C), ...i32(2), op.i32shr_u, op.i32eqz, op.br_if, 0,
    ...get(C), ...i32(2), op.i32shl, ...set(rowB),
    ...get(R), ...i32(2), op.i32shl, ...set(colB),
    ...get(G), ...set(g),
    ...countdown(g, [
      ...get(src), ...set(srcBlock),
      ...get(dst), ...set(dstBlock),
      ...get(R), ...i32(2), op.i32shr_u, ...set(i),
      ...countdown(i, [
        ...get(srcBlock), ...set(ps),
        ...get(dstBlock), ...set(pd),
        ...get(C), ...i32(2), op.i32shr_u, ...set(j),
        ...countdown(j, block),
        ...addTo(srcBlock, [...get(rowB), ...i32(2), op.i32shl]), // 4 rows down in src
        ...addTo(dstBlock, i32(16)), // 4 columns right in dst
      ]),
      ...addTo(src, [...get(R), ...get(rowB), op.i32mul]),
      ...addTo(dst, [...get(R), ...get(rowB), op.i32mul]),
    ]),
    op.end,
  ];
  return { locals: [[...uleb(9), I32], [...uleb(8), V128]], code };
}
