/** The benchmark's page side: pick each backend in turn and measure each preset on it. */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { ModelPresetName } from '../src/config';
import { chooseBackend } from '../src/train/backend';
import type { BackendName, BackendReport } from '../src/train/protocol';
import { benchPreset, type BenchOptions, type BenchRow } from './measure';

declare global {
  interface Window {
    runBench: (backends: BackendName[], presets: ModelPresetName[], opts?: BenchOptions) => Promise<unknown>;
    benchLog: string[];
  }
}
window.benchLog = [];
const log = (s: string) => window.benchLog.push(s);

window.runBench = async (backends, presets, opts = {}) => {
  const results: Record<string, Record<string, BenchRow>> = {};
  const labels: Record<string, string> = {};
  for (const name of backends) {
    let report: BackendReport;
    try {
      report = await chooseBackend(name, {
        wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
        loadWebGpu: () => import('@tensorflow/tfjs-backend-webgpu'),
      });
    } catch (e) {
      log(`${name}: could not start (${(e as Error).message})`);
      continue;
    }
    if (report.name !== name) {
      log(`${name}: not available here (${report.skipped.find((s) => s.name === name)?.reason ?? 'fell back'})`);
      continue;
    }
    labels[name] = report.label;
    for (const preset of presets) {
      log(`${name} / ${preset} (${report.label})`);
      (results[preset] ??= {})[name] = await benchPreset(preset, { ...opts, log });
    }
  }
  return { presets: results, labels };
};
