/**
 * `has(kernel)`, the one question the model asks of the kernels. Backend-neutral (it asks
 * whichever backend runs now), so it sits beside the registry, not in a backend's folder.
 */
import * as tf from '@tensorflow/tfjs';

/** Whether the backend that runs now has this kernel (Folio's, registered by `registerFolioKernels`, or tfjs's own). */
export function has(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}
