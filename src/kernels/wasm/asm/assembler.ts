/**
 * A minimal WebAssembly assembler: LEB128 numbers, sections, and the few instructions
 * Folio's kernels use (locals, i32 arithmetic, counted loops, f32 and f32x4 SIMD). Each
 * helper returns the instruction's bytes, so a kernel reads as a list of instructions.
 * Opcodes: the WebAssembly core and SIMD specifications (relaxed SIMD for `f32x4madd`).
 */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};
export const str = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const op = {
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
  i32gt_u: 0x4b,
  select: 0x1b,
  i32add: 0x6a,
  i32sub: 0x6b,
  i32mul: 0x6c,
  i32shl: 0x74,
  i32shr_u: 0x76,
} as const;
export const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];
export const memarg = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];
export const v128load = (offset = 0) => simd(0x00, ...memarg(2, offset));
export const v128load32splat = (offset = 0) => simd(0x09, ...memarg(2, offset));
export const v128store = (offset = 0) => simd(0x0b, ...memarg(2, offset));
export const v128zero = () => simd(0x0c, ...new Array<number>(16).fill(0));
export const f32x4add = () => simd(0xe4);
export const f32x4sub = () => simd(0xe5);
export const f32x4mul = () => simd(0xe6);
export const f32x4div = () => simd(0xe7);
export const f32x4sqrt = () => simd(0xe3);
export const f32x4splat = () => simd(0x13);
/** Relaxed SIMD's a·b + c: one fused multiply-add where the CPU has one (x86 FMA, Arm). */
export const f32x4madd = () => simd(0x105);
export const f32one = () => [0x43, 0x00, 0x00, 0x80, 0x3f]; // f32.const 1.0
export const f32const = (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
export const v128const = (ints: [number, number, number, number]) => simd(0x0c, ...new Uint8Array(Int32Array.from(ints).buffer));
/** i8x16.shuffle of two v128 by 32-bit lanes: 0–3 pick from the first, 4–7 from the second. */
export const shuffle32 = (lanes: [number, number, number, number]) => simd(0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
export const bitselect = () => simd(0x52); // (a & mask) | (b & ~mask), operands a, b, mask
export const f32x4min = () => simd(0xe8);
export const f32x4max = () => simd(0xe9);
export const f32x4nearest = () => simd(0x6a);
export const i32x4splat = () => simd(0x11);
export const i32x4add = () => simd(0xae);
export const i32x4shl = () => simd(0xab);
export const i32x4le_s = () => simd(0x3d);
export const i32x4truncSatF32x4 = () => simd(0xf8);
export const f32sub = 0x93;
export const f32 = { add: 0x92, mul: 0x94, div: 0x95, sqrt: 0x91, max: 0x97 } as const;
export const f32load = (offset = 0) => [0x2a, ...memarg(2, offset)];
export const f32store = (offset = 0) => [0x38, ...memarg(2, offset)];
export const lane = (l: number) => simd(0x1f, l); // f32x4.extract_lane
/** Push the four lanes of v128 local `v` folded by the f32 opcode `fold` (an f32). */
const hfold = (v: number, fold: number) => [...get(v), ...lane(0), ...[1, 2, 3].flatMap((l) => [...get(v), ...lane(l), fold])];
/** Push the sum of the four lanes of v128 local `v` (an f32). */
export const hsum = (v: number) => hfold(v, f32.add);
/** Push the largest of the four lanes of v128 local `v` (an f32). */
export const hmax = (v: number) => hfold(v, f32.max);

export const get = (l: number) => [op.get, ...uleb(l)];
export const set = (l: number) => [op.set, ...uleb(l)];
export const tee = (l: number) => [op.tee, ...uleb(l)];
export const i32 = (n: number) => [op.i32const, ...sleb(n)];
/** local[l] += delta (a local or a constant). */
export const addTo = (l: number, delta: number[]) => [...get(l), ...delta, op.i32add, ...set(l)];
/** A counted loop: body runs while (--counter) != 0 after each pass; counter must start ≥ 1. */
export const countdown = (counter: number, body: number[]) => [
  op.loop, 0x40,
  ...body,
  ...get(counter), ...i32(1), op.i32sub, ...tee(counter), ...i32(0), 0x47 /* i32.ne */, op.br_if, 0,
  op.end,
];
