/**
 * Folio's matMul on several cores.
 *
 * tfjs-backend-wasm 4.22 runs XNNPACK without its thread pool (`nullptr` in every
 * matMul and conv call), so even its multi-threaded build multiplies on one core. Here
 * helper threads (Web Workers in the browser, worker_threads in Node) each instantiate
 * the SIMD kernel of kernels/wasm/module.ts over one *shared* WebAssembly.Memory; a product is
 * copied into that memory, split by batches or by rows of the result, computed by every
 * thread at once, and copied back. The copies cost ~2 % of the product's time; a second
 * core halves the rest.
 *
 * The caller blocks until its helpers are done (Atomics.wait), which a page's main thread
 * may not do: there, and without SharedArrayBuffer (a page that is not cross-origin
 * isolated), `startGemmThreads` says 1 thread and nothing changes.
 *
 * Nothing here waits without a bound. A helper that dies, stalls or never starts shuts
 * the pool down: the product in flight is finished on the calling thread, every later one
 * runs single-threaded, and `onGemmThreadsLost` listeners hear why (the page's backend
 * badge, the CLI's log). A hung helper must never hang training.
 */
import { helperMain, work } from './gemmHelper';
import { kernelModuleBytes, instantiateKernels, type KernelModule } from '../wasm/module';

const MAX_PAGES = 8192; // the shared scratch memory may grow to 512 MiB
const CONTROL_BYTES = 4096; // the control block (below) at the start of the memory; data after it
/** A product smaller than this many FLOP runs on one thread: waking a helper costs ~20 µs. */
const MIN_FLOP = 2e6;
/** …and one doing less arithmetic per byte copied in and out than this. */
const MIN_FLOP_PER_BYTE = 16;
/** How long a helper may take to start (instantiate the kernels, say ready). */
const START_TIMEOUT_MS = 10_000;
/**
 * How long the caller waits for helpers after finishing its own share of a product: at
 * least this, or 20× the time its share took. A helper holds at most one chunk (~1/8 of
 * the product) when the caller runs out of chunks, so a live helper is never this late.
 */
const MIN_CHECK_IN_MS = 2_000;

/** One product, as addresses (bytes) in the caller's heap plus its dimensions. */
export interface Product {
  a: number;
  b: number;
  c: number;
  bias: number; // 0 = none
  G: number;
  M: number;
  K: number;
  N: number;
  transposeA: boolean;
}

interface Helper {
  terminate(): void;
}

/** Why the pool stopped, for whoever shows the thread count. */
type LostListener = (reason: string) => void;
const lostListeners = new Set<LostListener>();

/** Hear when the pool shuts down for good and products run on one thread. Returns an unsubscribe. */
export function onGemmThreadsLost(listener: LostListener): () => void {
  lostListeners.add(listener);
  return () => void lostListeners.delete(listener);
}

export class GemmPool {
  private seq = 0;
  private readonly ctrl: Int32Array;
  /** Set when a helper reported an error or exited: the next product shuts the pool down. */
  private broken?: string;
  private stopped = false;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: KernelModule,
    private readonly helpers: Helper[],
  ) {
    this.ctrl = new Int32Array(memory.buffer, 0, 16);
  }

  /** Threads that multiply, the caller's included. */
  get threads(): number {
    return this.helpers.length + 1;
  }

  /** A helper said it failed (error or exit event): stop using the pool at the next product. */
  helperFailed(reason: string): void {
    this.broken ??= reason;
  }

  /** Tests and the fault drill: end one helper as a crash would, without telling the pool. */
  killHelper(i = 0): void {
    this.helpers[i]?.terminate();
  }

  /**
   * Whether splitting this product is worth waking the helpers and copying its operands:
   * enough work, and enough arithmetic per byte copied (attention's small 64×32·32×64
   * products do 8 FLOP per byte and ran slower threaded; the linear layers do ~45).
   */
  worthIt(p: Pick<Product, 'G' | 'M' | 'K' | 'N'>): boolean {
    const { G, M, K, N } = p;
    const intensity = (2 * M * K * N) / (4 * (M * K + K * N + M * N));
    return 2 * G * M * K * N >= MIN_FLOP && intensity >= MIN_FLOP_PER_BYTE && (G >= this.threads || (G === 1 && M >= 8 * this.threads));
  }

  /**
   * C = op(A)·B (+ bias) for a product living in `heap` (tfjs's wasm memory). Always
   * completes: if a helper fails to check in, the pool shuts down and the caller computes
   * the product alone.
   */
  run(heap: ArrayBuffer, p: Product): void {
    if (this.broken) this.shutDown(this.broken);
    const copyStart = now();
    const { G, M, K, N } = p;
    const sizes = { a: G * M * K, b: G * K * N, bias: p.bias ? N : 0, c: G * M * N };
    const align = (n: number) => Math.ceil(n / 4) * 4; // keep every block 16-byte aligned
    const need = CONTROL_BYTES + 4 * (align(sizes.a) + align(sizes.b) + align(sizes.bias) + align(sizes.c));
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / 65536));
    const shared = new Float32Array(this.memory.buffer);
    const src = new Float32Array(heap);
    let at = CONTROL_BYTES / 4;
    const place = (from: number, n: number) => {
      const to = at;
      if (n > 0 && from >= 0) shared.set(src.subarray(from / 4, from / 4 + n), to);
      at += align(n);
      return to * 4;
    };
    const a = place(p.a, sizes.a);
    const b = place(p.b, sizes.b);
    const bias = p.bias ? place(p.bias, sizes.bias) : 0;
    const c = place(-1, sizes.c);
    copyMs += now() - copyStart;

    // Chunks: whole batches, or (one batch) blocks of 4 rows; ~4 per thread.
    const [aRow, aK] = p.transposeA ? [4, 4 * M] : [4 * K, 4];
    const byRows = G < this.threads;
    const units = byRows ? M / 4 : G;
    const chunk = Math.max(1, Math.ceil(units / (4 * this.threads)));
    const ctrl = this.ctrl;
    ctrl.set([a, b, c, bias, G, M, K, N, aRow, aK, byRows ? 1 : 0, chunk], 4);
    ctrl[1] = 0;
    ctrl[2] = Math.ceil(units / chunk);
    ctrl[3] = 0;
    if (!this.stopped) {
      Atomics.store(ctrl, 0, ++this.seq);
      Atomics.notify(ctrl, 0);
    }
    const began = now();
    work(ctrl, this.kernels.batchMatMul);
    // Every helper checks in before the next job may reuse the control block; one that
    // does not within the bound is taken for dead.
    const late = this.stopped ? undefined : this.awaitHelpers(Math.max(MIN_CHECK_IN_MS, 20 * (now() - began)));
    if (late) {
      this.shutDown(late);
      // Chunks the lost helper took may be unwritten: compute them all again, here, from a
      // private counter (a stalled helper that wakes later writes the same numbers).
      const own = Int32Array.from(ctrl.subarray(0, 16));
      own[1] = 0;
      work(own, this.kernels.batchMatMul);
    }
    const copyBack = now();
    new Float32Array(heap).set(shared.subarray(c / 4, c / 4 + sizes.c), p.c / 4);
    copyMs += now() - copyBack;
  }

  /** Wait (bounded) until every helper has checked in; a reason if one did not. */
  private awaitHelpers(boundMs: number): string | undefined {
    const ctrl = this.ctrl;
    const helpers = this.helpers.length;
    const deadline = now() + boundMs;
    for (let done = Atomics.load(ctrl, 3); done < helpers; done = Atomics.load(ctrl, 3)) {
      const left = deadline - now();
      if (left <= 0) return `a helper stopped (no answer in ${Math.round(boundMs)} ms)`;
      Atomics.wait(ctrl, 3, done, Math.min(left, 250));
      if (this.broken) return this.broken;
    }
    return undefined;
  }

  /** Stop every helper for good; later products run on the calling thread alone. */
  private shutDown(reason: string): void {
    this.stop();
    if (pool === this) {
      pool = null;
      lostReason = reason;
      for (const l of lostListeners) l(reason);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.ctrl, 0, -1);
    Atomics.notify(this.ctrl, 0);
    for (const h of this.helpers) h.terminate();
  }
}

const now = () => performance.now();

/** Time spent copying operands into the shared memory and results back, ms since the start. */
let copyMs = 0;
/** For the benchmark's time split (tests/bench/measure.ts): ms of copies so far. */
export function gemmCopyMs(): number {
  return copyMs;
}

let pool: GemmPool | null = null;
let starting: Promise<number> | null = null;
let lostReason: string | undefined;
/** While held, every product runs on the calling thread; the helpers wait, unharmed. */
let held = false;

export function gemmPool(): GemmPool | null {
  return held ? null : pool;
}

/** The backend race's "wasm, 1 thread": hold the helpers (true), then give them back (false). */
export function holdGemmThreads(on: boolean): void {
  held = on;
}

/** Why the threads stopped, if they did (then every product runs on one thread). */
export function gemmThreadsLost(): string | undefined {
  return lostReason;
}

/** Whether this thread may block in Atomics.wait (a page's main thread may not). */
function canBlock(): boolean {
  const g = globalThis as { document?: unknown; SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  if (typeof g.SharedArrayBuffer === 'undefined') return false;
  if (typeof g.document !== 'undefined') return false; // a window
  return g.crossOriginIsolated !== false; // Node has no such flag; workers of isolated pages say true
}

function defaultThreads(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, n));
}

/**
 * Start helper threads (once); resolves to the number of threads that multiply (1 when
 * threads are not possible here). `threads` defaults to the cores, at most 4.
 */
export function startGemmThreads(threads = defaultThreads()): Promise<number> {
  if (pool) return Promise.resolve(pool.threads);
  if (threads < 2 || !canBlock()) return Promise.resolve(1);
  starting ??= (async () => {
    try {
      const memory = new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
      const bytes = kernelModuleBytes(MAX_PAGES);
      const kernels = instantiateKernels(memory, bytes);
      if (!kernels) return 1;
      // A helper reports failure to whichever pool it serves (set once the pool exists).
      // eslint-disable-next-line prefer-const -- assigned below, once the pool exists; read by `failed` before
      let owner: GemmPool | undefined;
      const failed = (reason: string) => owner?.helperFailed(reason);
      const started = await Promise.allSettled(Array.from({ length: threads - 1 }, () => spawn(memory, bytes, failed)));
      const helpers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      if (helpers.length < started.length) {
        // One that never started: run on one thread, and say so.
        for (const h of helpers) h.terminate();
        const why = started.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        lostReason = `a helper did not start (${(why.reason as Error).message})`;
        return 1;
      }
      owner = pool = new GemmPool(memory, kernels, helpers);
      lostReason = undefined;
      return pool.threads;
    } catch {
      return 1; // no threads here: the single-threaded kernels still run
    } finally {
      starting = null;
    }
  })();
  return starting;
}

export function stopGemmThreads(): void {
  pool?.stop();
  pool = null;
}

/**
 * One helper, started and reporting ready, or rejected (and ended) if it is not ready within
 * START_TIMEOUT_MS. The timer is cleared once it is: a helper that started lives until the
 * pool stops it. Errors and exits after the start go to `failed`.
 */
async function spawn(memory: WebAssembly.Memory, bytes: Uint8Array, failed: (reason: string) => void): Promise<Helper> {
  const isNode =
    typeof process !== 'undefined' &&
    typeof process.versions?.node === 'string' &&
    typeof (globalThis as { document?: unknown }).document === 'undefined' &&
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';
  const timeout = async <T>(p: Promise<T>, kill: () => void): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => (kill(), reject(new Error(`not ready in ${START_TIMEOUT_MS / 1000} s`))), START_TIMEOUT_MS);
    });
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  if (isNode) {
    const specifier = 'node:worker_threads'; // kept from bundlers: the page never takes this branch
    const { Worker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
    const source = `const { parentPort, workerData } = require('node:worker_threads');
      const work = ${work.toString()};
      (${helperMain.toString()})(workerData.memory, workerData.bytes, () => parentPort.postMessage('ready'));`;
    const w = new Worker(source, { eval: true, workerData: { memory, bytes } });
    w.unref(); // a helper never keeps a CLI or test process alive
    await timeout(new Promise<void>((resolve, reject) => (w.once('message', () => resolve()), w.once('error', reject))), () => void w.terminate());
    w.on('error', (e) => failed(`a helper stopped (${e.message})`));
    w.once('exit', () => failed('a helper stopped'));
    return { terminate: () => void w.terminate() };
  }
  const w = new Worker(new URL('./gemmWorker.ts', import.meta.url), { type: 'module' });
  await timeout(
    new Promise<void>((resolve, reject) => {
      w.onmessage = () => resolve();
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage({ memory, bytes });
    }),
    () => w.terminate(),
  );
  w.onerror = (e) => failed(`a helper stopped (${e.message || 'error'})`);
  return { terminate: () => w.terminate() };
}
