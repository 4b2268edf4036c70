/**
 * The benchmark's measuring side, in a Web Worker as Folio's training runs: a worker may
 * block on Atomics.wait, so the wasm backend's matMul uses every core here
 * (kernels/threads/gemmThreads.ts), as it does in the app. Picks each backend in turn and
 * measures each preset on it; posts log lines and, at the end, the results.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { ModelPresetName } from '../../src/config';
import { chooseBackend } from '../../src/worker/backend';
import type { BackendName, BackendReport } from '../../src/worker/protocol';
import { benchPreset, type BenchOptions, type BenchRow } from './measure';
import { measurePeakGflops, spawnPeakWorker } from './wasmPeak';

export type BenchRequest = { backends: BackendName[]; presets: ModelPresetName[]; opts: BenchOptions };
export type BenchMessage =
  | { type: 'log'; line: string }
  | { type: 'done'; presets: Record<string, Record<string, BenchRow>>; labels: Record<string, string> }
  | { type: 'error'; message: string };

const post = (m: BenchMessage) => self.postMessage(m);
const log = (line: string) => post({ type: 'log', line });

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  const { backends, presets, opts } = e.data;
  try {
    const results: Record<string, Record<string, BenchRow>> = {};
    const labels: Record<string, string> = {};
    for (const name of backends) {
      let report: BackendReport;
      try {
        report = await chooseBackend(name, {
          wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
          loadWebGpu: () => import('@tensorflow/tfjs-backend-webgpu'),
        });
      } catch (err) {
        log(`${name}: could not start (${(err as Error).message})`);
        continue;
      }
      if (report.name !== name) {
        log(`${name}: not available here (${report.skipped.find((s) => s.name === name)?.reason ?? 'fell back'})`);
        continue;
      }
      labels[name] = report.label;
      for (const preset of presets) {
        log(`${name} / ${preset} (${report.label})`);
        (results[preset] ??= {})[name] = await benchPreset(preset, { ...opts, log, peak: (threads) => measurePeakGflops(threads, spawnPeakWorker) });
      }
    }
    post({ type: 'done', presets: results, labels });
  } catch (err) {
    post({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
};
