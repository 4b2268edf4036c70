/// <reference lib="webworker" />
/**
 * The training worker: a thin shell around `Session`. It wires the session to
 * postMessage, and tells the backend chooser where this bundle keeps the wasm binaries
 * and how to load the WebGPU backend (lazily: pages without WebGPU never download it).
 * Everything else lives in session.ts, which runs the same in Node tests.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { chooseBackend } from './backend';
import type { FromWorker, ToWorker } from './protocol';
import { Session } from './session';

declare const self: DedicatedWorkerGlobalScope;

const session = new Session({
  post: (msg: FromWorker, transfer?: Transferable[]) => self.postMessage(msg, transfer ?? []),
  chooseBackend: (requested) =>
    chooseBackend(requested, {
      wasmPaths: {
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      },
      loadWebGpu: () => import('@tensorflow/tfjs-backend-webgpu'),
    }),
});

// One listener, made once. Messages are handled in arrival order; the session itself
// lets training and questions interleave between steps.
self.onmessage = (e: MessageEvent<ToWorker>) => void session.handle(e.data);
