/**
 * The page's handle on the training worker: starts it, sends typed commands, hands
 * every event to one listener, and restarts the worker if it crashes (telling the
 * listener so). It holds no training logic and no React — the state bridge uses it.
 */
import type { BackendName, FromWorker, SessionConfig, ToWorker } from './protocol';

export type Listener = (msg: FromWorker) => void;

export class TrainerClient {
  private worker!: Worker;
  private lastBackend: BackendName | 'auto' = 'auto';
  private lastConfig?: SessionConfig;
  private nextId = 1;
  restarts = 0;

  /**
   * How to set a restarted worker up again (e.g. reload the last autosave). Returns the
   * messages to send after `init`; by default the last configuration is sent again.
   */
  recover?: () => { messages: ToWorker[]; note: string } | undefined;

  constructor(
    private readonly listener: Listener,
    private readonly makeWorker: () => Worker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
  ) {
    this.spawn();
  }

  /** A fresh id for a request that expects an answer. */
  id(): number {
    return this.nextId++;
  }

  send(msg: ToWorker, transfer: Transferable[] = []): void {
    if (msg.type === 'init') this.lastBackend = msg.backend;
    if (msg.type === 'configure') this.lastConfig = msg.config;
    this.worker.postMessage(msg, transfer);
  }

  terminate(): void {
    this.worker.terminate();
  }

  private spawn(): void {
    this.worker = this.makeWorker();
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.listener(e.data);
    // An uncaught error or a crash inside the worker: start a new one, set it up as before.
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.restart(e.message || 'unknown error');
    };
  }

  private restart(reason: string): void {
    this.worker.terminate();
    this.restarts++;
    this.spawn();
    const plan = this.recover?.();
    this.listener({
      type: 'error',
      scope: 'worker',
      message: `The training worker crashed (${reason}) and was restarted; ${plan?.note ?? 'training starts again from the beginning.'}`,
    });
    this.worker.postMessage({ type: 'init', backend: this.lastBackend } satisfies ToWorker);
    if (plan) for (const m of plan.messages) this.worker.postMessage(m);
    else if (this.lastConfig) this.worker.postMessage({ type: 'configure', config: this.lastConfig } satisfies ToWorker);
  }
}
