/**
 * Folio's kernels for tfjs-backend-wasm, listed: what `registerFolioKernels('wasm')`
 * (kernels/index.ts) hands to tfjs. Each comes from its module as a config; nothing here
 * or there registers on import.
 */
import type * as tf from '@tensorflow/tfjs';
import { CAUSAL_SOFTMAX, CAUSAL_SOFTMAX_GRAD } from '../causalSoftmax';
import { WASM_CACHE_KERNELS } from './cache';
import {
  adamwConfig,
  BATCH_MATMUL,
  batchMatMulConfig,
  GELU_ARG,
  GELU_GRAD,
  geluArgConfig,
  geluGradConfig,
  gatherRowsConfig,
  gatherRowsGradient,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  layerNormConfig,
  layerNormGradConfig,
  mergeHeadsConfig,
  mergeHeadsGradient,
  splitHeadsConfig,
  splitHeadsGradient,
  squaredNormConfig,
  SUM_ROWS,
  sumRowsConfig,
  unsortedSegmentSumConfig,
} from './kernels';
import { WASM_OVERRIDES } from './overrides';
import { causalSoftmaxConfig, causalSoftmaxGradConfig } from './softmax';
import { TABLE_PRODUCT, tableProductConfig } from './tableProduct';
import { TRANSPOSE_LAST, transposeLastConfig } from './transpose';

export const WASM_KERNELS: readonly tf.KernelConfig[] = [
  batchMatMulConfig,
  unsortedSegmentSumConfig,
  adamwConfig,
  sumRowsConfig,
  squaredNormConfig,
  layerNormConfig,
  layerNormGradConfig,
  geluArgConfig,
  geluGradConfig,
  splitHeadsConfig,
  mergeHeadsConfig,
  gatherRowsConfig,
  transposeLastConfig,
  tableProductConfig,
  causalSoftmaxConfig,
  causalSoftmaxGradConfig,
  ...WASM_CACHE_KERNELS,
];

/** Gradients of the kernels above (tfjs keys a gradient by kernel name, for every backend). */
export const WASM_GRADIENTS: readonly tf.GradConfig[] = [splitHeadsGradient, mergeHeadsGradient, gatherRowsGradient];

/**
 * The kernels that need Folio's SIMD module (no JavaScript fallback): registered only where
 * WebAssembly SIMD works. The others fall back to a loop when the module is missing.
 */
export const SIMD_KERNELS: ReadonlySet<string> = new Set([
  BATCH_MATMUL,
  SUM_ROWS,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  GELU_ARG,
  GELU_GRAD,
  TRANSPOSE_LAST,
  TABLE_PRODUCT,
  CAUSAL_SOFTMAX,
  CAUSAL_SOFTMAX_GRAD,
]);

export { WASM_OVERRIDES };
