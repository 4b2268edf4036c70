import * as tf from '@tensorflow/tfjs';

/** Whether the backend that runs now has this kernel (Folio's, registered by `registerFolioKernels`, or tfjs's own). */
export function has(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}
