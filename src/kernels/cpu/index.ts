/** Folio's kernels for tfjs's cpu backend, listed: what `registerFolioKernels('cpu')` (kernels/index.ts) registers. */
import type * as tf from '@tensorflow/tfjs';
import { adamwConfig } from './adamw';

export const CPU_KERNELS: readonly tf.KernelConfig[] = [adamwConfig];
