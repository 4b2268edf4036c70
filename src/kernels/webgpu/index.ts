/**
 * Folio's kernels for tfjs-backend-webgpu, listed: what `registerFolioKernels('webgpu')`
 * (kernels/index.ts) hands to tfjs. Each comes from its module as a config; nothing here
 * or there registers on import. (The causal softmax's gradient is kernels/causalSoftmax.ts.)
 */
import type * as tf from '@tensorflow/tfjs';
import { gemmConfig } from './gemm';
import { adamwConfig, causalSoftmaxConfig, causalSoftmaxGradConfig } from './kernels';
import { columnSumsConfig, layerNormDxConfig, layerNormOutConfig, rowStatsConfig } from './rows';

export const WEBGPU_KERNELS: readonly tf.KernelConfig[] = [
  gemmConfig,
  adamwConfig,
  causalSoftmaxConfig,
  causalSoftmaxGradConfig,
  rowStatsConfig,
  layerNormOutConfig,
  layerNormDxConfig,
  columnSumsConfig,
];
