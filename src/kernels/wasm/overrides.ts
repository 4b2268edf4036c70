/**
 * Stock tfjs-wasm kernels Folio replaces (kernels/index.ts unregisters the stock one first).
 * Nothing here touches the page or the DOM.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * `Identity`: tfjs-backend-wasm 4.22 copies the tensor,
 * and tfjs clones (Identity) every tensor a custom gradient saves for the backward pass —
 * ~130 copies of activations in a `cpu`-preset step, 1.5 MB the largest. Here, as on the
 * cpu and webgl backends, the clone shares the data (one more reference): tensors are
 * immutable, and no kernel, stock or Folio's, writes into its inputs.
 */
export const WASM_OVERRIDES: tf.KernelConfig[] = [
  {
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  },
];
