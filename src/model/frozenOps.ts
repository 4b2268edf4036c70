/**
 * The fast ops (ops.ts) for a model whose base weights are frozen (LoRA, lora.ts): the same
 * forward kernels, with a gradient for the activations only. ops.ts's custom gradients give
 * every input's gradient at once, so a LoRA step would compute — and throw away — a gradient
 * of every frozen weight: each projection's dW and the tied head's V×C, a second model's worth
 * of memory and a third of the step's products. Here the weights are closed over, not inputs,
 * so autodiff never asks for them. Not here: anything trainable (the adapters use ops.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { has } from '../kernels';
import { GEMM, gemm } from '../kernels/webgpu/gemm';
import { GATHER_ROWS } from '../kernels/wasm/kernels';
import { affine, gelu, mm } from './ops';

type GradFn = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };
// tf.customGrad's typing takes (...inputs, save) as one rest parameter (as in ops.ts).
const customGrad = (f: GradFn) => tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;

/** y = x·W + b, W and b frozen: dx = dy·Wᵀ only. */
export function linearFrozen(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const f = customGrad((xi: tf.Tensor) => ({
    value: affine(xi, w, b),
    gradFunc: (dy: tf.Tensor) => [mm(dy, w, false, true)],
  }));
  return f(x) as tf.Tensor2D;
}

/** y = gelu(z)·W + b, W and b frozen: dz only (on WebGPU GELU folded into the products, as ops.ts `geluLinear`). */
export function geluLinearFrozen(z: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (!has(GEMM)) return linearFrozen(gelu(z), w, b);
  const f = customGrad((zi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([zi]);
    return {
      value: gemm({ a: zi, b: w, bias: b }, { geluA: true }),
      gradFunc: (dy: tf.Tensor, [Z]: tf.Tensor[]) => [gemm({ a: dy, b: w, z: Z! }, { transposeB: true, geluGradZ: true })],
    };
  });
  return f(z) as tf.Tensor2D;
}

/** x·Wᵀ with W frozen (the tied head: hidden states → logits): dx = dy·W only. */
export function matMulFrozenT(x: tf.Tensor2D, w: tf.Tensor): tf.Tensor2D {
  const f = customGrad((xi: tf.Tensor) => ({ value: mm(xi, w, false, true), gradFunc: (dy: tf.Tensor) => [mm(dy, w)] }));
  return f(x) as tf.Tensor2D;
}

/**
 * Token embedding rows from a frozen table: no gradient at all (ids are not differentiable,
 * and the table is closed over, so its V×C values are not kept a second time for a backward pass).
 */
export function embedFrozen(table: tf.Tensor, idx: tf.Tensor2D): tf.Tensor3D {
  const [B, T] = idx.shape;
  const f = customGrad((ids: tf.Tensor) => ({
    value: (has(GATHER_ROWS) ? (tf.engine().runKernel(GATHER_ROWS, { table, ids }, {}) as tf.Tensor) : tf.gather(table, ids)).reshape([B, T, table.shape[1]!]),
    gradFunc: () => [tf.zeros([B * T], 'int32')],
  }));
  return f(idx.reshape([B * T])) as tf.Tensor3D;
}
