/**
 * Choosing a tfjs backend in Node (CLI, tests, benchmarks). The page has its own
 * chooser (webgpu → webgl → wasm → cpu); in Node only `cpu` (pure JS) and `wasm`
 * (WebAssembly + SIMD, several times faster) exist without native add-ons.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { onGemmThreadsLost, startGemmThreads } from '../kernels/threads/gemmThreads';
import { registerFolioKernels } from '../kernels';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export type NodeBackend = 'cpu' | 'wasm';
export const NODE_BACKENDS: readonly NodeBackend[] = ['cpu', 'wasm'];

let wasmPathsSet = false;

// A helper thread that dies or stalls never hangs a run: the pool shuts down and training
// goes on, on one thread. Say so on stderr (stdout carries the JSON lines).
onGemmThreadsLost((reason) => console.error(`[folio] wasm matMul now runs on 1 thread: ${reason}`));

export async function useNodeBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    // Node cannot fetch the .wasm binaries from a URL; point tfjs at the package's files.
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    setWasmPaths(dir);
    wasmPathsSet = true;
  }
  // tfjs prints a suggestion to install tfjs-node (native, not available here) on first
  // use in Node; it is noise on a CLI's output.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) throw new Error(`The ${name} backend could not start.`);
    await tf.ready();
    registerFolioKernels(name);
    tf.tensor([0]).dispose(); // the cpu backend prints its hint on first use: use it now, silenced
    // wasm: Folio's matMul on every core (kernels/threads/gemmThreads.ts); FOLIO_THREADS=1 for one.
    if (name === 'wasm') await startGemmThreads(Number(process.env.FOLIO_THREADS) || Math.min(4, os.availableParallelism()));
  } finally {
    console.warn = warn;
  }
}
