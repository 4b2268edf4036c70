/**
 * The page's handle on the training worker: starts it, sends typed commands, hands
 * every event to one listener, and restarts the worker if it crashes (telling the
 * listener so). It also watches a running run: a worker that sends no progress for far
 * longer than a step takes has stalled, and the listener hears that too (the page offers
 * the same restart). It holds no training logic and no React — the state bridge uses it.
 */
import { errorEvent, isRequest, REQUESTS, type BackendName, type FromWorker, type ToWorker, type WaitingFor } from './protocol';
import { notice } from '../i18n';

export type { WaitingFor } from './protocol';

export type Listener = (msg: FromWorker) => void;

/** Silence that counts as a stall: at least this long… */
export const STALL_MIN_MS = 15_000;
/** …or this many times the last step's time (before the first: the worker's estimate of it), whichever is longer… */
export const STALL_STEPS = 10;
/** …and before a run's first step (kernels compile, shaders build), at least this long. */
export const STALL_FIRST_STEP_MS = 60_000;

/** The watchdog's floors (tests shorten them to see the scaling do its work). */
export interface StallLimits {
  minMs: number;
  firstStepMs: number;
  /** Scales every request's time limit (protocol.ts `limitMs`): a test sees a one-minute limit end in seconds. */
  requestScale: number;
}
const WATCH_EVERY_MS = 1_000;

/** What the watchdog knows about the run it watches. */
interface Watch {
  /** When the worker last showed progress (or the run began). */
  heardAt: number;
  step: number;
  elapsedMs: number;
  /** ms per step, from the last two progress messages that moved. */
  stepMs: number;
  firstStep: boolean;
  /** The worker's estimate of one step before the first (Trainer.probeStepMs). */
  estimateMs: number;
}

export class TrainerClient {
  private worker!: Worker;
  private lastBackend: BackendName | 'auto' = 'auto';
  /** The last configure, with its corpus bytes: what a restarted worker is set up with. */
  private lastConfigure?: Extract<ToWorker, { type: 'configure' }>;
  private nextId = 1;
  private watch?: Watch;
  private lastStepMs = 0;
  private timer?: ReturnType<typeof setInterval>;
  private lastTick = 0;
  /**
   * Watched requests sent and not answered yet, oldest first (protocol.ts's REQUESTS says
   * which are watched, how long the worker may stay silent and what the page waited for).
   * Any message from the worker shows it alive (a long tokenizer build sends `busy`), so
   * the limits are on silence.
   */
  private waiting: { requestId: number; kind: string; what: WaitingFor; limitMs: number }[] = [];
  /** When the worker last sent anything. */
  private heardAt = 0;
  restarts = 0;
  limits: StallLimits = { minMs: STALL_MIN_MS, firstStepMs: STALL_FIRST_STEP_MS, requestScale: 1 };

  /**
   * How to set a restarted worker up again (e.g. reload the last autosave): the messages to
   * send after `init` and the step they bring back. By default the last configuration is
   * sent again (training starts from the beginning).
   */
  recover?: () => { messages: ToWorker[]; step: number } | undefined;

  /** The worker sent nothing for `silentMs` while a run was supposed to be running or a request waited for an answer. */
  onStall?: (silentMs: number, what: WaitingFor) => void;

  constructor(
    private readonly listener: Listener,
    private readonly makeWorker: () => Worker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.spawn();
  }

  /** A fresh id for a request that expects an answer. */
  id(): number {
    return this.nextId++;
  }

  send(msg: ToWorker, transfer: Transferable[] = []): void {
    if (msg.type === 'init') this.lastBackend = msg.backend;
    // Keep a copy of the bytes: the ones sent may be transferred, and a restart needs them.
    if (msg.type === 'configure') this.lastConfigure = { ...msg, ...(msg.corpusBytes ? { corpusBytes: msg.corpusBytes.slice(0) } : {}) };
    const spec = isRequest(msg) ? REQUESTS[msg.type] : undefined;
    if (isRequest(msg) && spec?.limitMs != null) {
      // The newest of a kind may replace an older one waiting (the worker drops it unanswered).
      if (spec.latestWins) this.waiting = this.waiting.filter((w) => w.kind !== msg.type);
      if (this.waiting.length === 0) this.heardAt = this.now();
      this.waiting.push({ requestId: msg.requestId, kind: msg.type, what: spec.waitingFor, limitMs: spec.limitMs * this.limits.requestScale });
      this.startTimer();
    }
    this.worker.postMessage(msg, transfer);
  }

  terminate(): void {
    this.waiting = [];
    this.stopWatching();
    this.worker.terminate();
  }

  /** Start a new worker and set it up as the old one was (a crash, or the person after a stall). */
  restart(cause: { crashed: string } | { stalledSeconds: number }): void {
    this.stopWatching();
    this.waiting = [];
    this.worker.terminate();
    this.restarts++;
    this.spawn();
    const plan = this.recover?.();
    const step = plan?.step ?? -1;
    this.listener(
      errorEvent(
        'worker',
        'crashed' in cause ? notice('workerCrashed', { reason: cause.crashed, step }) : notice('workerStalled', { seconds: cause.stalledSeconds, step }),
      ),
    );
    this.worker.postMessage({ type: 'init', requestId: this.id(), backend: this.lastBackend } satisfies ToWorker);
    if (plan) for (const m of plan.messages) this.worker.postMessage(m);
    else if (this.lastConfigure)
      this.worker.postMessage({ ...this.lastConfigure, ...(this.lastConfigure.corpusBytes ? { corpusBytes: this.lastConfigure.corpusBytes.slice(0) } : {}) });
  }

  /** Check once whether a watched run or a waiting request has gone silent for too long (the timer calls this every second). */
  checkStall(): void {
    const t = this.now();
    // A tick that came very late means this page was asleep (a closed laptop, a frozen
    // tab), not that the worker stalled: start counting again.
    if (this.lastTick && t - this.lastTick > 5 * WATCH_EVERY_MS) {
      if (this.watch) this.watch.heardAt = t;
      this.heardAt = t;
    }
    this.lastTick = t;
    const w = this.watch;
    if (w) {
      // A big model's first step is as slow as the worker estimated (a step measured at 80 s is no stall at 61 s).
      const limit = w.firstStep
        ? Math.max(this.limits.firstStepMs, STALL_STEPS * Math.max(w.stepMs, w.estimateMs))
        : Math.max(this.limits.minMs, STALL_STEPS * w.stepMs);
      const silent = t - w.heardAt;
      if (silent > limit) return this.stalled(silent, 'run');
    }
    const oldest = this.waiting[0];
    if (oldest && t - this.heardAt > oldest.limitMs) return this.stalled(t - this.heardAt, oldest.what);
    if (!w && !oldest) this.stopTimer();
  }

  private stalled(silentMs: number, what: WaitingFor): void {
    this.stopWatching();
    this.waiting = [];
    this.onStall?.(silentMs, what);
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.checkStall(), WATCH_EVERY_MS);
    this.lastTick = this.now();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lastTick = 0;
  }

  private spawn(): void {
    this.worker = this.makeWorker();
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      this.heardAt = this.now();
      const m = e.data;
      if (m.type === 'answer' || m.type === 'failed') this.waiting = this.waiting.filter((w) => w.requestId !== m.requestId);
      if (e.data.type === 'progress') this.sawProgress(e.data);
      this.listener(e.data);
    };
    // An uncaught error or a crash inside the worker: start a new one, set it up as before.
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.restart({ crashed: e.message || 'unknown error' });
    };
  }

  private sawProgress(p: Extract<FromWorker, { type: 'progress' }>): void {
    if (p.state !== 'running') return this.stopWatching();
    const t = this.now();
    const w = this.watch;
    if (!w) {
      this.watch = { heardAt: t, step: p.step, elapsedMs: p.elapsedMs, stepMs: this.lastStepMs, firstStep: true, estimateMs: p.stepMsEstimate ?? 0 };
      this.startTimer();
      return;
    }
    w.heardAt = t;
    if (p.stepMsEstimate !== undefined) w.estimateMs = p.stepMsEstimate;
    if (p.step > w.step) {
      w.stepMs = this.lastStepMs = Math.max(0, (p.elapsedMs - w.elapsedMs) / (p.step - w.step));
      w.step = p.step;
      w.elapsedMs = p.elapsedMs;
      w.firstStep = false;
    }
  }

  private stopWatching(): void {
    this.watch = undefined;
    if (this.waiting.length === 0) this.stopTimer();
  }
}
