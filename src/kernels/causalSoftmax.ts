/**
 * Attention's causal softmax as a kernel: its names and its gradient. Here, beside the
 * registry and not in a backend's folder, because wasm/softmax.ts and webgpu/kernels.ts run
 * it under the same names, inputs and attributes, and this one gradient serves both.
 *
 *   FolioCausalSoftmax      x (…, T, T), attrs { scale } → y = softmax(x·scale) over columns ≤ the row's position, 0 beyond
 *   FolioCausalSoftmaxGrad  dy, y → dx = scale · y · (dy − Σ dy·y)
 */
import * as tf from '@tensorflow/tfjs';

export const CAUSAL_SOFTMAX = 'FolioCausalSoftmax';
export const CAUSAL_SOFTMAX_GRAD = 'FolioCausalSoftmaxGrad';

/** The forward kernel's gradient: the backward kernel, on the backend that runs. */
export const causalSoftmaxGradient: tf.GradConfig = {
  kernelName: CAUSAL_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.engine().runKernel(CAUSAL_SOFTMAX_GRAD, { dy: dy as tf.Tensor, y }, attrs) as tf.Tensor };
  },
};
