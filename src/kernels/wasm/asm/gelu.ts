/** GELU's elementwise arithmetic around tfjs's Sigmoid, forward and backward. */
import { V128, addTo, countdown, f32one, f32x4add, f32x4mul, f32x4splat, f32x4sub, get, i32, op, set, tee, uleb, v128load, v128store } from './assembler';

// --- GELU's arithmetic around tfjs's (vectorised, exact) Sigmoid ----------------------

/** out = x·(c1 + c2·x²): GELU's sigmoid argument 2k·(x + 0.044715·x³), with c1 = 2k, c2 = 2k·0.044715. */
export function geluArgBody(): { locals: number[][]; code: number[] } {
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
export function geluGradBody(): { locals: number[][]; code: number[] } {
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
