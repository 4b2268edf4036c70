/**
 * Folio's kernels, in one registry. Each backend's folder (cpu/, wasm/, webgpu/) lists its
 * kernels (and their gradients) as data in its index.ts; `registerFolioKernels(backend)`
 * hands the ones for a backend to tfjs once it runs that backend — the worker's backend
 * set-up and the CLI's call it, nothing registers on import. The model then asks one
 * question, `has(kernel)`: does the backend that runs now have it?
 */
import * as tf from '@tensorflow/tfjs';
import { causalSoftmaxGradient } from './causalSoftmax';
import { CPU_KERNELS } from './cpu';
import { SIMD_KERNELS, WASM_GRADIENTS, WASM_KERNELS, WASM_OVERRIDES } from './wasm';
import { kernelModuleBytes } from './wasm/module';
import { WEBGPU_KERNELS } from './webgpu';

const BY_BACKEND: Record<string, readonly tf.KernelConfig[]> = {
  cpu: CPU_KERNELS,
  wasm: WASM_KERNELS,
  webgpu: WEBGPU_KERNELS,
};
const GRADIENTS: readonly tf.GradConfig[] = [...WASM_GRADIENTS, causalSoftmaxGradient];
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
