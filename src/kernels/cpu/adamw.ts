/** `FolioAdamW` on tfjs's cpu backend: the loop of kernels/adamw.ts over the tensors' own arrays. */
import type * as tf from '@tensorflow/tfjs';
import { ADAMW, update, type AdamWAttrs, type AdamWInputs } from '../adamw';

interface CpuLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

export const adamwConfig: tf.KernelConfig = {
  kernelName: ADAMW,
  backendName: 'cpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as CpuLike;
    const { param, grad, m, v, scale } = inputs as unknown as AdamWInputs;
    const view = (t: tf.TensorInfo) => be.data.get(t.dataId).values;
    const n = view(param).length;
    const out: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    update(view(param), view(grad), view(m), view(v), view(scale)[0]!, attrs as unknown as AdamWAttrs, out);
    return out.map((values) => be.makeTensorInfo(param.shape, 'float32', values));
  },
};
