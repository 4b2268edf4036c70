/**
 * Folio's kernels, in one registry. Each kernel module lists its kernels (and their
 * gradients) as data; `registerFolioKernels(backend)` hands the ones for a backend to tfjs
 * once it runs that backend — the worker's backend set-up and the CLI's call it, nothing
 * registers on import. The model then asks one question, `has(kernel)`: does the backend
 * that runs now have it?
 */
import * as tf from '@tensorflow/tfjs';
import { CPU_KERNELS } from './adamw';
import { WASM_CACHE_KERNELS } from './wasm/cache';
import { SIMD_KERNELS, WASM_GRADIENTS, WASM_KERNELS } from './wasm/kernels';
import { WASM_OVERRIDES } from './wasm/overrides';
import './wasm/transpose'; // these two add their kernels to WASM_KERNELS (registerWasm)
import './wasm/softmax';
import { kernelModuleBytes } from './wasm/module';
import { WEBGPU_GEMM_KERNELS } from './webgpu/gemm';
import { WEBGPU_GRADIENTS, WEBGPU_KERNELS } from './webgpu/kernels';
import { WEBGPU_ROW_KERNELS } from './webgpu/rows';

const BY_BACKEND: Record<string, readonly tf.KernelConfig[]> = {
  cpu: CPU_KERNELS,
  wasm: [...WASM_KERNELS, ...WASM_CACHE_KERNELS],
  webgpu: [...WEBGPU_GEMM_KERNELS, ...WEBGPU_KERNELS, ...WEBGPU_ROW_KERNELS],
};
const GRADIENTS: readonly tf.GradConfig[] = [...WASM_GRADIENTS, ...WEBGPU_GRADIENTS];
let gradientsRegistered = false;

/** Register Folio's kernels for `backend` (and every gradient), once; other backends get none. */
export function registerFolioKernels(backend: string): void {
  // Without WebAssembly SIMD (very old browsers) Folio's wasm module cannot compile: the
  // kernels that need it stay unregistered, and the model uses tfjs's own ops instead.
  const simd = backend !== 'wasm' || WebAssembly.validate(kernelModuleBytes());
  for (const k of BY_BACKEND[backend] ?? []) {
    if (!simd && SIMD_KERNELS.has(k.kernelName)) continue;
    if (k.backendName === backend && !tf.getKernel(k.kernelName, backend)) tf.registerKernel(k);
  }
  // Stock kernels replaced by Folio's (see each list): the stock one goes, once.
  for (const k of backend === 'wasm' ? WASM_OVERRIDES : []) {
    if (tf.getKernel(k.kernelName, backend)?.kernelFunc === k.kernelFunc) continue;
    if (tf.getKernel(k.kernelName, backend)) tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel(k);
  }
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  for (const g of GRADIENTS) if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
}

export { has } from './has';
