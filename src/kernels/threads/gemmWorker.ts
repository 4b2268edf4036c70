/** A helper thread of gemmThreads.ts in the browser: multiply whenever the pool says so. */
import { helperMain } from './gemmHelper';

self.onmessage = (e: MessageEvent<{ memory: WebAssembly.Memory; bytes: Uint8Array }>) => {
  const { memory, bytes } = e.data;
  helperMain(memory, bytes, () => self.postMessage('ready'));
};
