/**
 * The helper threads' side of gemmThreads.ts: how a thread takes chunks of a product from
 * the shared control block, and a helper's whole life. Self-contained on purpose: Node
 * starts a helper from this code's source text (`toString()`), the browser from
 * gemmWorker.ts.
 */

/*
 * The control block (int32s at the start of the shared memory), one job at a time:
 *   [0] job number (helpers wait on it; −1 = stop)   [1] next chunk to take
 *   [2] chunks in the job                            [3] helpers done with the job
 *   [4..15] a, b, c, bias, G, M, K, N, aRow, aK, byRows, chunk size
 * Every thread, the caller's included, takes chunks (batches, or blocks of 4 rows) from
 * [1] until none is left, so a thread that started late or runs slow takes fewer.
 */

/** Take chunks of the current job until none is left. Self-contained (see helperMain). */
export function work(ctrl: Int32Array, batchMatMul: (...args: number[]) => void): void {
  const [a, b, c, bias, G, M, K, N, aRow, aK, byRows, chunk] = Array.from(ctrl.subarray(4, 16));
  const chunks = ctrl[2]!;
  for (let ci = Atomics.add(ctrl, 1, 1); ci < chunks; ci = Atomics.add(ctrl, 1, 1)) {
    const from = ci * chunk!;
    if (byRows) {
      const to = Math.min(M! / 4, from + chunk!);
      batchMatMul(a! + from * 4 * aRow!, b!, c! + from * 4 * N! * 4, bias!, 1, (to - from) * 4, K!, N!, aRow!, aK!);
    } else {
      const to = Math.min(G!, from + chunk!);
      batchMatMul(a! + from * M! * K! * 4, b! + from * K! * N! * 4, c! + from * M! * N! * 4, bias!, to - from, M!, K!, N!, aRow!, aK!);
    }
  }
}

/**
 * A helper's whole life: wait for a job, take its chunks, say done, repeat. No closures
 * and no inner functions: Node starts it from its source text (with `work`'s).
 */
export function helperMain(memory: WebAssembly.Memory, bytes: Uint8Array, ready: () => void): void {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory } });
  const batchMatMul = instance.exports.batchMatMul as (...args: number[]) => void;
  const ctrl = new Int32Array(memory.buffer, 0, 16);
  let seen = 0;
  ready();
  for (;;) {
    Atomics.wait(ctrl, 0, seen);
    const job = Atomics.load(ctrl, 0);
    if (job === seen) continue;
    if (job < 0) return; // told to stop
    seen = job;
    work(ctrl, batchMatMul);
    Atomics.add(ctrl, 3, 1);
    Atomics.notify(ctrl, 3);
  }
}
