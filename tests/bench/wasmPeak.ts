/**
 * The wasm backend's arithmetic ceiling, measured: a loop of independent f32x4 fused
 * multiply-adds (relaxed SIMD, as Folio's matMul uses) on every thread the matMul uses, all at
 * once. No real kernel can beat it — it loads nothing and stores nothing — so the training
 * step's GFLOP/s over it (`peakFraction`) says how much of the machine the step uses, measured
 * in the same sitting as the step (on a shared machine both move together).
 *
 * Not a test and not part of Folio: the benchmark's own instrument. The helper threads are Web
 * Workers in the browser (peak-worker.ts) and worker_threads in Node.
 */
import {
  F32,
  I32,
  V128,
  countdown,
  f32const,
  f32x4add,
  f32x4madd,
  f32x4mul,
  f32x4splat,
  get,
  lane,
  op,
  section,
  set,
  str,
  uleb,
  vec,
} from '../../src/kernels/wasm/asm/assembler';

/** Independent accumulators: a fused multiply-add's latency (4 cycles) times two vector ports, with room; 12 + 2 operands fit x86's 16 vector registers. */
const ACCS = 12;
/** FLOP per loop pass: ACCS multiply-adds of 4 lanes, 2 FLOP each. */
export const FLOP_PER_ITER = ACCS * 4 * 2;

/** A module exporting `peak(iters) → f32`: `iters` passes of ACCS independent f32x4 multiply-adds. `fma` false: multiply then add. */
export function peakModuleBytes(fma = true): Uint8Array<ArrayBuffer> {
  const [iters] = [0];
  const [x, y] = [1, 2];
  const accs = Array.from({ length: ACCS }, (_, i) => 3 + i);
  const step = (a: number) =>
    fma ? [...get(x), ...get(y), ...get(a), ...f32x4madd(), ...set(a)] : [...get(a), ...get(x), ...get(y), ...f32x4mul(), ...f32x4add(), ...set(a)];
  const code = [
    ...f32const(1e-3),
    ...f32x4splat(),
    ...set(x),
    ...f32const(1e-3),
    ...f32x4splat(),
    ...set(y),
    op.block,
    0x40,
    ...get(iters),
    op.i32eqz,
    op.br_if,
    0,
    ...countdown(iters, accs.flatMap(step)),
    op.end,
    // Every accumulator reaches the result, so no compiler may drop a chain.
    ...get(accs[0]!),
    ...accs.slice(1).flatMap((a) => [...get(a), ...f32x4add()]),
    ...lane(0),
  ];
  const body = [...vec([[...uleb(2 + ACCS), V128]]), ...code, op.end];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[I32]]), ...vec([[F32]])]])),
    ...section(3, vec([uleb(0)])),
    ...section(7, vec([[...str('peak'), 0x00, ...uleb(0)]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ];
  return Uint8Array.from(bytes);
}

export type PeakFn = (iters: number) => number;

export function instantiatePeak(bytes: Uint8Array): PeakFn {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {});
  return instance.exports.peak as PeakFn;
}

/**
 * A helper's whole life, self-contained (Node starts it from its source text): instantiate,
 * say ready, wait on the shared flag, run `iters` passes, report the time it took.
 */
export function peakHelperMain(bytes: Uint8Array, flag: Int32Array, iters: number, done: (ms: number) => void, ready: () => void): void {
  const run = (new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {}).exports.peak as (n: number) => number)!;
  run(1000); // compiled and warm before the clock starts
  ready();
  Atomics.wait(flag, 0, 0);
  const t0 = performance.now();
  run(iters);
  done(performance.now() - t0);
}

/** One helper: started with the flag and the passes to run; resolves when ready, then with its time. */
export interface PeakHelper {
  ready: Promise<void>;
  done: Promise<number>;
  terminate(): void;
}
export type SpawnPeakHelper = (bytes: Uint8Array, flag: Int32Array, iters: number) => PeakHelper;

/**
 * GFLOP/s of the FMA loop on `threads` threads at once (this one and threads − 1 helpers), the
 * best of `trials`; each run lasts about `ms`. Returns 0 where relaxed SIMD does not validate.
 */
export async function measurePeakGflops(threads: number, spawn: SpawnPeakHelper, ms = 300, trials = 3): Promise<number> {
  let bytes = peakModuleBytes(true);
  if (!WebAssembly.validate(bytes)) bytes = peakModuleBytes(false);
  if (!WebAssembly.validate(bytes)) return 0;
  const run = instantiatePeak(bytes);
  run(1000);
  // Calibrate on this thread: passes for ~ms.
  let iters = 1 << 16;
  for (;;) {
    const t0 = performance.now();
    run(iters);
    const took = performance.now() - t0;
    if (took > 20) {
      iters = Math.max(1, Math.round((iters * ms) / took));
      break;
    }
    iters *= 4;
  }
  let best = 0;
  for (let trial = 0; trial < trials; trial++) {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const helpers = Array.from({ length: threads - 1 }, () => spawn(bytes, flag, iters));
    try {
      await Promise.all(helpers.map((h) => h.ready));
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      const t0 = performance.now();
      run(iters);
      const mine = performance.now() - t0;
      const times = [mine, ...(await Promise.all(helpers.map((h) => h.done)))];
      // Every thread did `iters` passes; the slowest bounds the time they took together.
      best = Math.max(best, (threads * iters * FLOP_PER_ITER) / (Math.max(...times) * 1e6));
    } finally {
      helpers.forEach((h) => h.terminate());
    }
  }
  return +best.toFixed(1);
}

/** Start one helper as a Web Worker (the benchmark's worker in Chromium). */
export function spawnPeakWorker(bytes: Uint8Array, flag: Int32Array, iters: number): PeakHelper {
  const w = new Worker(new URL('./peak-worker.ts', import.meta.url), { type: 'module' });
  return helperOf(
    (onMessage) => (w.onmessage = (e: MessageEvent<'ready' | { ms: number }>) => onMessage(e.data)),
    () => w.postMessage({ bytes, flag, iters }),
    () => w.terminate(),
  );
}

/** Start one helper as a Node worker thread (`npm run bench:node`), from the source text of peakHelperMain. */
export async function nodePeakSpawner(): Promise<SpawnPeakHelper> {
  const specifier = 'node:worker_threads'; // kept from bundlers: the page never takes this branch
  const { Worker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
  const source = `const { parentPort, workerData } = require('node:worker_threads');
    (${peakHelperMain.toString()})(workerData.bytes, workerData.flag, workerData.iters, (ms) => parentPort.postMessage({ ms }), () => parentPort.postMessage('ready'));`;
  return (bytes, flag, iters) => {
    const w = new Worker(source, { eval: true, workerData: { bytes, flag, iters } });
    w.unref();
    return helperOf(
      (onMessage) => w.on('message', onMessage),
      () => {},
      () => void w.terminate(),
    );
  };
}

function helperOf(listen: (onMessage: (m: 'ready' | { ms: number }) => void) => void, start: () => void, terminate: () => void): PeakHelper {
  let ready!: () => void;
  let done!: (ms: number) => void;
  const helper: PeakHelper = { ready: new Promise<void>((r) => (ready = r)), done: new Promise<number>((r) => (done = r)), terminate };
  listen((m) => (m === 'ready' ? ready() : done(m.ms)));
  start();
  return helper;
}
