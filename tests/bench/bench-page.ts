/** The benchmark's page side: runs bench-worker.ts and hands its log and results to Playwright. */
import type { ModelPresetName } from '../../src/config';
import type { BackendName } from '../../src/worker/protocol';
import type { BenchOptions } from './measure';
import type { BenchMessage, BenchRequest } from './bench-worker';

declare global {
  interface Window {
    runBench: (backends: BackendName[], presets: ModelPresetName[], opts?: BenchOptions) => Promise<unknown>;
    benchLog: string[];
  }
}
window.benchLog = [];

window.runBench = (backends, presets, opts = {}) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<BenchMessage>) => {
      const m = e.data;
      if (m.type === 'log') window.benchLog.push(m.line);
      else if (m.type === 'done') resolve({ presets: m.presets, labels: m.labels });
      else reject(new Error(m.message));
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ backends, presets, opts } satisfies BenchRequest);
  });
