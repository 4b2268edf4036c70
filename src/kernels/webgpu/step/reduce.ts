/**
 * The workgroup reduction every whole-step kernel that sums (or takes the max of) a row shares:
 * LayerNorm's two sums and its gradient's, the cross-entropy's max and log-sum-exp, the
 * gradient norm's partial sums and AdamW's total of them. Each thread has folded its share of
 * the row into one value; the workgroup combines the values in workgroup memory, halving the
 * live span each round, and every thread gets the total.
 *
 * Written as a WGSL function the kernel declares once and calls where it needs a total, so a
 * kernel reads as what it sums, not as the barriers around it. The tree is the same at every
 * call (thread i takes i + w, w = size/2, size/4, …, 1), so the order of additions — and with
 * it every bit of the result — does not depend on which kernel asks.
 *
 * Not the column sums (LayerNorm's gain and bias gradients): those add 8 lanes per column in
 * one plain loop (rows.ts).
 */

type Combine = 'sum' | 'max';

const combine = (op: Combine, a: string, b: string) => (op === 'max' ? `max(${a}, ${b})` : `${a} + ${b}`);

/**
 * WGSL (module scope): `fn groupSum(v, lid) -> T` (or `groupMax`) for a workgroup of `size`
 * threads (a power of two), with its own workgroup array. Every thread of the workgroup must
 * call it (it holds barriers: uniform control flow only). It ends with a barrier, so a kernel
 * may call it again at once: no thread overwrites the array before every thread has read the
 * total.
 */
export function workgroupReduce(op: Combine, size: number, type: 'f32' | 'vec2<f32>' = 'f32'): string {
  const fn = op === 'max' ? 'groupMax' : 'groupSum';
  const red = `${fn}Red`;
  return `
var<workgroup> ${red} : array<${type}, ${size}>;
fn ${fn}(v : ${type}, lid : i32) -> ${type} {
  ${red}[lid] = v;
  workgroupBarrier();
  for (var w = ${size / 2}; w > 0; w = w / 2) {
    if (lid < w) { ${red}[lid] = ${combine(op, `${red}[lid]`, `${red}[lid + w]`)}; }
    workgroupBarrier();
  }
  let total = ${red}[0];
  workgroupBarrier();
  return total;
}`;
}
