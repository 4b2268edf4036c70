/** A helper thread of wasmPeak.ts in the browser: run the FMA loop when the shared flag says go. */
import { peakHelperMain } from './wasmPeak';

self.onmessage = (e: MessageEvent<{ bytes: Uint8Array; flag: Int32Array; iters: number }>) => {
  const { bytes, flag, iters } = e.data;
  peakHelperMain(
    bytes,
    flag,
    iters,
    (ms) => self.postMessage({ ms }),
    () => self.postMessage('ready'),
  );
};
