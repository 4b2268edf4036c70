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
import { gemmPool, onGemmThreadsLost } from '../kernels/threads/gemmThreads';
import * as tf from '@tensorflow/tfjs';
import { AUTOSAVE_KEY, type BackendReport, type FromWorker, type ToWorker } from './protocol';
import { Session } from './session';

declare const self: DedicatedWorkerGlobalScope;

const options = {
  wasmPaths: {
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  },
  loadWebGpu: () => import('@tensorflow/tfjs-backend-webgpu'),
};

/** A lost WebGPU device (driver reset, GPU removed, the OS reclaiming it): move on. */
type Device = { lost?: Promise<{ message?: string; reason?: string }>; destroy?: () => void };
/** Devices already watched: the backend race starts WebGPU again and again, one listener each. */
const watched = new WeakSet<object>();
const currentDevice = () => (tf.getBackend() === 'webgpu' ? (tf.backend() as { device?: Device }).device : undefined);

function watchDevice(report: BackendReport): BackendReport {
  const device = (tf.backend() as { device?: Device }).device;
  if (report.name === 'webgpu' && device?.lost && !watched.has(device)) {
    watched.add(device);
    // Only the device the model trains on matters (after a race, training is back on its own backend).
    void device.lost.then((info) => {
      if (currentDevice() === device) session.backendFailed(`the GPU device was lost: ${info.message || info.reason || 'no reason given'}`);
    });
    // What a driver reset does, on demand: tests call this, and so can a curious person
    // from the worker's console to watch Folio recover.
    (self as unknown as { folioLoseDevice?: () => void }).folioLoseDevice = () => device.destroy?.();
  }
  return report;
}

const session: Session = new Session({
  post: (msg: FromWorker, transfer?: Transferable[]) => self.postMessage(msg, transfer ?? []),
  chooseBackend: async (requested) => watchDevice(await chooseBackend(requested, options)),
  chooseBackendExcept: async (failed) => watchDevice(await chooseBackend('auto', { ...options, exclude: failed })),
  autosaveKey: AUTOSAVE_KEY,
});

// Folio's matMul threads stopped (a helper died or stalled): training goes on, on one
// thread, and the badge says so. The fault drill ends a helper on demand, as a crash would.
onGemmThreadsLost((reason) => session.threadsLost(reason));
(self as unknown as { folioStopHelper?: () => void }).folioStopHelper = () => gemmPool()?.killHelper();

// One listener, made once. Messages are handled in arrival order; the session itself
// lets training and questions interleave between steps.
self.onmessage = (e: MessageEvent<ToWorker>) => void session.handle(e.data);
