/**
 * Attention's causal softmax on wasm: the kernels `FolioCausalSoftmax` and its gradient,
 * under the same names, inputs and attributes as WebGPU's (kernels/causalSoftmax.ts has the
 * names and the one gradient), so model/ops.ts `causalSoftmax` takes one path on both backends.
 * One SIMD pass per row each way (asm/softmax.ts) instead of tfjs's Multiply, Add (the mask)
 * and Softmax forward and five kernels backward. Rows whose length is not a multiple of 4 (a
 * short prompt's whole pass) run the same arithmetic as a plain loop.
 */
import { CAUSAL_SOFTMAX, CAUSAL_SOFTMAX_GRAD } from '../causalSoftmax';
import { wasmKernel } from './kernels';

const rowsOf = (shape: number[]) => shape.slice(0, -1).reduce((a, b) => a * b, 1);

/** The loop version (any T): y = softmax(x·scale) over columns ≤ the row's position, 0 beyond. */
function softmaxLoop(x: Float32Array, y: Float32Array, rows: number, T: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const [base, i] = [r * T, r % T];
    let m = -Infinity;
    for (let j = 0; j <= i; j++) m = Math.max(m, x[base + j]! * scale);
    let sum = 0;
    for (let j = 0; j <= i; j++) sum += y[base + j] = Math.exp(x[base + j]! * scale - m);
    for (let j = 0; j < T; j++) y[base + j] = j <= i ? y[base + j]! / sum : 0;
  }
}

function softmaxGradLoop(dy: Float32Array, y: Float32Array, dx: Float32Array, rows: number, T: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * T;
    let dot = 0;
    for (let j = 0; j < T; j++) dot += dy[base + j]! * y[base + j]!;
    for (let j = 0; j < T; j++) dx[base + j] = scale * y[base + j]! * (dy[base + j]! - dot);
  }
}

export const causalSoftmaxConfig = wasmKernel(CAUSAL_SOFTMAX, ({ x }, attrs, { k, at, out, view }) => {
  const scale = attrs.scale as number;
  const T = x!.shape[x!.shape.length - 1]!;
  const y = out(x!.shape);
  if (T % 4 === 0) k.causalSoftmax(at(x!), at(y), rowsOf(x!.shape) / T, T, scale);
  else softmaxLoop(view(x!), view(y), rowsOf(x!.shape), T, scale);
  return y;
});

export const causalSoftmaxGradConfig = wasmKernel(CAUSAL_SOFTMAX_GRAD, ({ dy, y }, attrs, { k, at, out, view }) => {
  const scale = attrs.scale as number;
  const T = y!.shape[y!.shape.length - 1]!;
  const dx = out(y!.shape);
  if (T % 4 === 0) k.causalSoftmaxGrad(at(dy!), at(y!), at(dx), rowsOf(y!.shape), T, scale);
  else softmaxGradLoop(view(dy!), view(y!), view(dx), rowsOf(y!.shape), T, scale);
  return dx;
});
