/** AdamW over 4-float quads (kernels/adamw.ts has the maths and the JavaScript version). */
import { I32, V128, addTo, countdown, f32one, f32sub, f32x4add, f32x4div, f32x4mul, f32x4splat, f32x4sqrt, f32x4sub, get, i32, op, set, uleb, v128load, v128store } from './assembler';

// --- AdamW over 4-float quads (see kernels/adamw.ts for the maths) ------------------

export function adamwBody(): { locals: number[][]; code: number[] } {
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
