/**
 * The training session that lives in the worker: it owns the tokenizer, the data, the
 * model and the trainer, answers every `ToWorker` message and decides what to post.
 *
 * The trainer returns numbers; the session decides what to post and when:
 * - training runs one step at a time in `loop()`, yielding to the event loop between
 *   steps, so a pause or a prediction request is seen within one step;
 * - losses are read back every `logEvery` steps (one GPU→CPU sync), and progress is
 *   posted at most 20 times a second with only the new loss points;
 * - the newest prediction request wins: older ones still waiting are dropped.
 *
 * No DOM here: `post` is injected, so tests drive a session with a fake `post`.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleConfig } from '../config';
import { validateModelConfig } from '../config';
import { decodeCorpusBytes, validateCorpusText } from '../data/corpus';
import { splitTokens, type Dataset } from '../data/dataset';
import { mix } from '../data/rng';
import { createGPT, disposeGPT, paramCount, type GPT } from '../model/gpt';
import { attentionMaps, generate, predictNext, PromptError } from '../predict/predictor';
import { buildTokenizer, type Tokenizer } from '../tokenizer';
import { filesToArtifacts, loadCheckpoint, memoryFilesHandler, saveCheckpoint, type LoadedCheckpoint } from '../checkpoint/checkpoint';
import {
  assertNever,
  type BackendName,
  type BackendReport,
  type FromWorker,
  type ModelSummary,
  type CheckpointFiles,
  type RunState,
  type SavedHistory,
  type SessionConfig,
  type ToWorker,
  withThreadsLost,
} from './protocol';
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot';
import { Trainer, type EvalResult, type LossPoint } from './trainer';

export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

export interface SessionDeps {
  post: Post;
  chooseBackend: (requested: BackendName | 'auto') => Promise<BackendReport>;
  /** Let queued messages run; defaults to a zero-delay macrotask. */
  yieldToEvents?: () => Promise<void>;
  now?: () => number;
  /** Where `indexeddb` save/load go (tests can substitute a memory handler). */
  storage?: (key: string) => tf.io.IOHandler;
  /** Save the session under this key every AUTOSAVE_MS of training and whenever it stops (none if unset). */
  autosaveKey?: string;
  /** Pick a backend again after one failed mid-run, leaving out those that failed. */
  chooseBackendExcept?: (failed: BackendName[]) => Promise<BackendReport>;
}

/** Autosave at most this often while training (and always when training stops). */
export const AUTOSAVE_MS = 10_000;

/** Progress messages are throttled to this interval (≤ 20 per second). */
export const PROGRESS_INTERVAL_MS = 50;
/** Losses are read back at least this often even when `logEvery` steps take longer. */
export const READ_INTERVAL_MS = 250;
/** How much of the corpus the page shows as token chips. */
const SNIPPET_CHARS = 400;
const SNIPPET_TOKENS = 80;

interface Live {
  config: SessionConfig;
  tokenizer: Tokenizer;
  data: Dataset;
  model: GPT;
  trainer: Trainer;
}

type Job =
  | Extract<ToWorker, { type: 'predict' }>
  | Extract<ToWorker, { type: 'attention' }>
  | Extract<ToWorker, { type: 'generate' }>;

const SAMPLE_SETTINGS: Omit<SampleConfig, 'maxTokens' | 'seed'> = { temperature: 0.8, topK: 0, topP: 0.95, greedy: false };

export class Session {
  private backend?: BackendReport;
  private live?: Live;
  private state: RunState = 'idle';
  /** Set by "step N": pause when the trainer reaches this step. */
  private stopAt?: number;
  private loopDone?: Promise<void>;
  private unsent: LossPoint[] = [];
  private lastProgress = -Infinity;
  private lastRead = -Infinity;
  private elapsedMs = 0;
  private runningSince?: number;
  /** The newest waiting prediction (older ones are replaced, i.e. dropped). */
  private pendingPredict?: Extract<ToWorker, { type: 'predict' }>;
  private queue: Job[] = [];
  private serving = false;
  /** The run so far, for autosaves (the page gets it as deltas). */
  private history: SavedHistory = { losses: [], evals: [], samples: [], elapsedMs: 0 };
  /** The newest save as files, in memory: what a failed backend resumes from. */
  private lastSaved?: { files: CheckpointFiles; step: number };
  private lastAutosave = -Infinity;
  /** Verified-good weights (the next loss after them was finite), and a newer candidate. */
  private good?: Snapshot;
  private candidate?: Snapshot;
  private failedBackends: BackendName[] = [];
  /** The person asked to train and has not paused (a crash of the loop does not change this). */
  private wantsToRun = false;
  private readonly yieldToEvents: () => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly deps: SessionDeps) {
    this.yieldToEvents = deps.yieldToEvents ?? defaultYield;
    this.now = deps.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  }

  /** Setup and control messages run one after another, in arrival order. */
  private chain: Promise<void> = Promise.resolve();
  /** Messages numbered as they arrive, and the number of the newest pause. */
  private arrivals = 0;
  private lastPause = 0;

  /**
   * Handle one message. Never throws: failures become `error` messages.
   * Messages that change the session (init, configure, reset, load, start, …) are
   * chained, so e.g. a `configure` sent right after `init` waits for the backend —
   * tfjs fails if two backend initialisations overlap. Pause, questions and memory
   * reports are handled at once.
   */
  handle(msg: ToWorker): Promise<void> {
    const arrival = ++this.arrivals;
    switch (msg.type) {
      case 'pause':
        this.lastPause = arrival;
        return this.handleNow(msg);
      case 'start':
      case 'resume':
      case 'step':
        // A pause that arrived after this command (while it waited in the chain, e.g.
        // behind a reset) cancels it: "Pause" right after "Train from scratch" holds.
        return (this.chain = this.chain.then(() => (this.lastPause > arrival ? this.postProgress(true) : this.handleNow(msg))));
      case 'predict':
      case 'attention':
      case 'generate':
      case 'memory':
      case 'checkCorpus':
        return this.handleNow(msg);
      default:
        return (this.chain = this.chain.then(() => this.handleNow(msg)));
    }
  }

  private async handleNow(msg: ToWorker): Promise<void> {
    try {
      switch (msg.type) {
        case 'init':
          return await this.init(msg.backend);
        case 'configure':
          return await this.configure(msg.corpusBytes ? { ...msg.config, corpus: { ...msg.config.corpus, text: decodeCorpusBytes(new Uint8Array(msg.corpusBytes)) } } : msg.config);
        case 'target':
          return this.setTarget(msg.steps);
        case 'checkCorpus':
          return this.checkCorpus(msg);
        case 'start':
        case 'resume':
          return this.run();
        case 'pause':
          return this.pause();
        case 'step':
          return this.stepN(msg.count ?? 1);
        case 'reset':
          return await this.reset(msg.learningRate);
        case 'predict':
          this.pendingPredict = msg; // replaces (drops) any older waiting request
          return this.kickJobs();
        case 'attention':
        case 'generate':
          this.queue.push(msg);
          return this.kickJobs();
        case 'save':
          return await this.save(msg);
        case 'load':
          return await this.load(msg);
        case 'memory': {
          const m = tf.memory();
          return this.deps.post({ type: 'memory', requestId: msg.requestId, numTensors: m.numTensors, numBytes: m.numBytes });
        }
        default:
          return assertNever(msg);
      }
    } catch (e) {
      this.deps.post({ type: 'error', scope: scopeOf(msg), message: messageOf(e), ...('requestId' in msg ? { requestId: msg.requestId } : {}) });
    }
  }

  // -------------------------------------------------------------------------------
  // Setup

  private async init(requested: BackendName | 'auto'): Promise<void> {
    await this.stopLoop();
    this.backend = await this.deps.chooseBackend(requested);
    this.deps.post({ type: 'backend', backend: this.backend });
  }

  /** Build everything new first; only when all of it worked replace the old session. */
  private async configure(config: SessionConfig): Promise<void> {
    if (!this.backend) await this.init('auto');
    const errs = validateModelConfig(config.model);
    if (errs.length) throw new ConfigureError(errs.join(' '));
    const text = validateCorpusText(config.corpus.text);
    const tokenizer = buildTokenizer(text, config.tokenizer);
    const data = splitTokens(tokenizer.encode(text), config.model.blockSize);
    await this.stopLoop();
    const model = createGPT({ ...config.model, vocabSize: tokenizer.vocabSize }, config.train.seed);
    this.replaceLive({ config, tokenizer, data, model, trainer: new Trainer(model, data, config.train) });
  }

  private async reset(learningRate?: number): Promise<void> {
    const live = this.requireLive();
    if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate))) {
      throw new ConfigureError(`The learning rate must be a positive number (got ${learningRate}).`);
    }
    await this.stopLoop();
    const train = learningRate === undefined ? live.config.train : { ...live.config.train, learningRate, minLearningRate: Math.min(live.config.train.minLearningRate, learningRate / 10) };
    const model = createGPT(live.model.config, train.seed);
    this.replaceLive({ ...live, config: { ...live.config, train }, model, trainer: new Trainer(model, live.data, train) });
  }

  private replaceLive(next: Live, extra?: Record<string, unknown>): void {
    if (this.live) {
      this.live.trainer.dispose();
      disposeGPT(this.live.model);
    }
    this.live = next;
    this.state = 'idle';
    this.stopAt = undefined;
    this.unsent = [];
    this.elapsedMs = 0;
    this.runningSince = undefined;
    disposeSnapshot(this.good);
    disposeSnapshot(this.candidate);
    this.good = this.candidate = undefined;
    const h = extra?.history as SavedHistory | undefined;
    this.history = h && Array.isArray(h.losses) ? { losses: h.losses, evals: h.evals ?? [], samples: h.samples ?? [], elapsedMs: h.elapsedMs ?? 0 } : { losses: [], evals: [], samples: [], elapsedMs: 0 };
    if (extra && typeof extra.elapsedMs === 'number') this.elapsedMs = extra.elapsedMs;
    this.deps.post({ type: 'ready', backend: this.backend!, model: this.summary() });
  }

  private checkCorpus(msg: Extract<ToWorker, { type: 'checkCorpus' }>): void {
    try {
      const text = validateCorpusText(decodeCorpusBytes(new Uint8Array(msg.bytes)));
      splitTokens(buildTokenizer(text, msg.tokenizer).encode(text), msg.blockSize);
      this.deps.post({ type: 'corpusChecked', requestId: msg.requestId, ok: true, chars: text.length });
    } catch (e) {
      this.deps.post({ type: 'corpusChecked', requestId: msg.requestId, ok: false, message: messageOf(e) });
    }
  }

  private setTarget(steps: number): void {
    const live = this.requireLive();
    if (!Number.isInteger(steps) || steps < 1) throw new TrainError(`The number of steps must be a whole number ≥ 1 (got ${steps}).`);
    live.config = { ...live.config, targetSteps: steps };
    if (this.state === 'done' && steps > live.trainer.step) this.state = 'paused';
    if (this.state === 'running' && steps <= live.trainer.step) this.pause();
    this.postProgress(true);
  }

  private summary(): ModelSummary {
    const { config, tokenizer, data, model, trainer } = this.requireLive();
    const snippet = Array.from(tokenizer.encode(config.corpus.text.slice(0, SNIPPET_CHARS)), (id) => tokenizer.tokenText(id));
    return {
      config: model.config,
      train: trainer.cfg,
      paramCount: paramCount(model.config),
      vocabSize: tokenizer.vocabSize,
      tokenizer: tokenizer.kind,
      corpusName: config.corpus.name,
      corpusChars: config.corpus.text.length,
      snippet: snippet.slice(0, SNIPPET_TOKENS),
      trainTokens: data.train.length,
      valTokens: data.val.length,
      step: trainer.step,
      targetSteps: config.targetSteps,
    };
  }

  private requireLive(): Live {
    if (!this.live) throw new ConfigureError('No model yet: choose a corpus and a model first.');
    return this.live;
  }

  // -------------------------------------------------------------------------------
  // Training loop

  private run(): void {
    const live = this.requireLive();
    if (live.trainer.step >= live.config.targetSteps) {
      throw new TrainError(`Training already reached its target of ${live.config.targetSteps} steps; raise the target or reset.`);
    }
    this.stopAt = undefined;
    this.state = 'running';
    this.wantsToRun = true;
    this.startLoop();
  }

  /** Run `count` more steps, then pause (counted from where a running step-run would stop). */
  private stepN(count: number): void {
    const live = this.requireLive();
    const from = this.state === 'running' && this.stopAt !== undefined ? this.stopAt : live.trainer.step;
    this.stopAt = Math.min(from + Math.max(1, Math.floor(count)), live.config.targetSteps);
    if (this.stopAt <= live.trainer.step) throw new TrainError(`Training already reached its target of ${live.config.targetSteps} steps; raise the target or reset.`);
    this.state = 'running';
    this.wantsToRun = true;
    this.startLoop();
  }

  private pause(): void {
    this.wantsToRun = false;
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.stopAt = undefined;
  }

  private startLoop(): void {
    if (this.loopDone) return;
    this.live?.trainer.resetClock();
    this.runningSince = this.now();
    this.postProgress(true); // "running" before the first step: the page's watchdog starts here
    const done: Promise<void> = this.loop().finally(() => {
      // A loop abandoned on a failed backend may end late: it must not clear its successor.
      if (this.loopDone === done) this.loopDone = undefined;
      void this.serveJobs(); // requests that arrived as the loop was ending
    });
    this.loopDone = done;
  }

  /** Pause and wait until the loop has left the model alone. */
  private async stopLoop(): Promise<void> {
    this.pause();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    const owner = this.live;
    try {
      while (this.live && this.live === owner && this.state === 'running') {
        const live = this.live;
        const { trainer, config } = live;
        const cfg = trainer.cfg;
        trainer.trainStep();
        const step = trainer.step;
        const reachedTarget = step >= config.targetSteps;
        // A pause that arrived during the step shows up as state ≠ running.
        const stopping = reachedTarget || (this.stopAt !== undefined && step >= this.stopAt) || this.state !== 'running';

        // Read losses every logEvery steps — or sooner when steps are slow, so a person
        // on a slow backend still sees the loss move (at most ~4 reads a second).
        if (step % cfg.logEvery === 0 || stopping || this.now() - this.lastRead >= READ_INTERVAL_MS) {
          this.lastRead = this.now();
          const losses = await trainer.readLosses();
          if (this.live !== live) return; // the backend failed meanwhile and the run moved on
          // Diverged: NaN/Inf, or far worse than guessing uniformly (loss ln V) — the
          // learning rate blew the weights up (at 10, the loss jumps to ~2,000 but stays finite).
          const limit = 3 * Math.log(live.model.config.vocabSize) + 5;
          const bad = losses.find((l) => !Number.isFinite(l.loss) || !Number.isFinite(l.gradNorm) || l.loss > limit);
          if (bad) return this.diverged(live, bad);
          this.unsent.push(...losses);
          this.history.losses.push(...losses);
          this.checkpointInMemory(live);
        }
        if (step % cfg.evalInterval === 0 || reachedTarget) {
          const result: EvalResult = await trainer.evaluate();
          this.history.evals.push(result);
          this.deps.post({ type: 'eval', result });
        }
        if (config.sampleEvery > 0 && (step % config.sampleEvery === 0 || reachedTarget)) await this.postSample(live);
        if (reachedTarget) (this.state = 'done'), (this.wantsToRun = false);
        else if (stopping) this.pause();
        if (stopping) this.accountTime();
        this.postProgress(stopping);
        if (stopping || this.now() - this.lastAutosave >= AUTOSAVE_MS) await this.autosave(live);
        await this.serveJobs();
        await this.yieldToEvents();
      }
      // Paused by a message between steps: read the losses still on the device (the page
      // and the save must have every step), then save what was reached.
      if (this.live && this.live === owner) {
        const rest = await owner.trainer.readLosses();
        this.unsent.push(...rest);
        this.history.losses.push(...rest);
        if (this.lastSaved?.step !== owner.trainer.step) await this.autosave(owner);
      }
    } catch (e) {
      this.deps.post({ type: 'error', scope: 'train', message: messageOf(e) });
    } finally {
      // A loop abandoned on a failed backend must leave its successor's run alone.
      if (this.live === owner || this.live?.model === owner?.model) {
        if (this.state === 'running') this.state = 'paused';
        this.accountTime();
        this.postProgress(true);
      }
    }
  }

  private accountTime(): void {
    if (this.runningSince !== undefined) {
      this.elapsedMs += this.now() - this.runningSince;
      this.runningSince = undefined;
    }
  }

  private postProgress(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    const live = this.live;
    if (!live) return;
    this.lastProgress = t;
    const losses = this.unsent;
    this.unsent = [];
    const running = this.runningSince !== undefined ? t - this.runningSince : 0;
    this.deps.post({
      type: 'progress',
      state: this.state,
      step: live.trainer.step,
      targetSteps: live.config.targetSteps,
      losses,
      tokensPerSec: live.trainer.tokensPerSec,
      lr: live.trainer.lr,
      elapsedMs: this.elapsedMs + running,
    });
  }

  private async postSample(live: Live): Promise<void> {
    const prompt = live.config.samplePrompt ?? defaultSamplePrompt(live.tokenizer);
    let text = '';
    const cfg: SampleConfig = { ...SAMPLE_SETTINGS, maxTokens: live.config.sampleTokens, seed: mix(live.config.train.seed, live.trainer.step) };
    for await (const t of generate(live.model, live.tokenizer, prompt, cfg)) text += t.text;
    this.history.samples = [...this.history.samples.slice(-49), { step: live.trainer.step, text }];
    this.deps.post({ type: 'sample', step: live.trainer.step, prompt, text });
  }

  /**
   * Keep a copy of the weights to fall back on. A copy taken after step k is "good" once
   * the loss of step k+1 (computed with exactly those weights) came back finite.
   */
  private checkpointInMemory(live: Live): void {
    const step = live.trainer.step;
    if (this.candidate && step > this.candidate.step) {
      disposeSnapshot(this.good);
      this.good = this.candidate;
      this.candidate = undefined;
    }
    if (!this.candidate) this.candidate = takeSnapshot(live.trainer);
  }

  /** A NaN or infinite loss: pause, go back to the last good weights, say what happened. */
  private diverged(live: Live, bad: LossPoint): void {
    this.pause();
    this.accountTime();
    disposeSnapshot(this.candidate);
    this.candidate = undefined;
    const back = this.good;
    if (back) restoreSnapshot(live.trainer, back);
    else {
      // Nothing verified yet (it failed in the first steps): fresh weights are the last good ones.
      const model = createGPT(live.model.config, live.config.train.seed);
      this.replaceLive({ ...live, model, trainer: new Trainer(model, live.data, live.config.train) });
    }
    const keep = (l: { step: number }) => l.step <= (back?.step ?? 0);
    this.unsent = this.unsent.filter(keep);
    this.history.losses = this.history.losses.filter(keep);
    this.history.evals = this.history.evals.filter(keep);
    this.postProgress(true);
    const uniform = Math.log(live.model.config.vocabSize);
    const what = Number.isFinite(bad.loss) ? `${Math.round(bad.loss).toLocaleString('en')} (guessing at random scores ${uniform.toFixed(1)})` : String(bad.loss);
    throw new TrainError(
      `The loss became ${what} at step ${bad.step}, so training paused and the weights went back to step ${back?.step ?? 0}, the last good ones. ` +
        `The learning rate (${live.trainer.cfg.learningRate}) is probably too high: lower it, then resume.`,
    );
  }

  /** Save the session, when an autosave key is set: to memory (what a failed backend resumes from), then to the browser's storage. Never throws. */
  private async autosave(live: Live): Promise<void> {
    const key = this.deps.autosaveKey;
    if (!key) return;
    this.lastAutosave = this.now();
    try {
      const memory = memoryFilesHandler();
      await saveCheckpoint(memory, this.checkpointInput(live));
      this.lastSaved = { files: memory.files!, step: live.trainer.step };
    } catch (e) {
      this.deps.post({ type: 'error', scope: 'checkpoint', message: `Could not save the model: ${messageOf(e)}` });
      return;
    }
    try {
      await this.storage(key).save!(filesToArtifacts(this.lastSaved.files));
      this.deps.post({ type: 'autosaved', key, step: live.trainer.step, corpusName: live.config.corpus.name });
    } catch (e) {
      const full = e instanceof Error && (e.name === 'QuotaExceededError' || /quota/i.test(e.message));
      this.deps.post({
        type: 'error',
        scope: 'checkpoint',
        message: full
          ? 'The browser’s storage is full, so this model is not saved for the next visit. Training goes on; export the model to keep it.'
          : `Saving for the next visit failed (${messageOf(e)}). Training goes on; export the model to keep it.`,
      });
    }
  }

  private checkpointInput(live: Live) {
    return {
      model: live.model,
      tokenizer: live.tokenizer,
      train: live.trainer.cfg,
      step: live.trainer.step,
      optimizer: live.trainer.optimizer,
      extra: { session: live.config, elapsedMs: this.elapsedMs, history: { ...this.history, elapsedMs: this.elapsedMs } },
    };
  }

  /** Folio's matMul threads stopped: training goes on single-threaded; the badge says why. */
  threadsLost(reason: string): void {
    if (!this.backend) return;
    this.backend = withThreadsLost(this.backend, reason);
    this.deps.post({ type: 'backend', backend: this.backend });
  }

  /**
   * The backend failed under us (a lost WebGPU device, a failing kernel): pick the next
   * backend, reload the last save there and carry on training, saying so.
   */
  async backendFailed(reason: string): Promise<void> {
    const failed = this.backend?.name;
    const saved = this.lastSaved;
    const wasRunning = this.state === 'running' || this.wantsToRun;
    const pausesBefore = this.lastPause;
    const live = this.live;
    this.live = undefined; // a loop stuck on the dead backend sees this and stops
    this.loopDone = undefined; // …and is not waited for: it may never return
    this.state = 'paused';
    if (failed) this.failedBackends.push(failed);
    try {
      if (live) {
        try {
          live.trainer.dispose();
          disposeGPT(live.model);
        } catch {
          // tensors on a lost device may not free cleanly; they go with it
        }
      }
      this.backend = this.deps.chooseBackendExcept ? await this.deps.chooseBackendExcept(this.failedBackends) : await this.deps.chooseBackend('auto');
      this.deps.post({ type: 'backend', backend: this.backend });
      if (!saved) throw new ConfigureError('there was no saved model to resume from, so please set the model up again');
      const loaded = await loadCheckpoint(memoryFilesHandler(saved.files));
      await this.adopt(loaded);
      this.postLoaded(0, loaded); // no request asked for it: 0
      this.deps.post({
        type: 'error',
        scope: 'backend',
        message: `${failed ?? 'The backend'} failed during training (${reason}). Switched to ${this.backend.name} and resumed from the last save, step ${saved.step}.`,
      });
      // A pause pressed during the switch wins; the page then hears that nothing runs.
      if (wasRunning && this.lastPause === pausesBefore) this.run();
      else this.postProgress(true);
    } catch (e) {
      this.deps.post({ type: 'error', scope: 'backend', message: `${failed ?? 'The backend'} failed during training (${reason}); ${messageOf(e)}.` });
    }
  }

  // -------------------------------------------------------------------------------
  // Questions to the model, answered between training steps

  private kickJobs(): void {
    // While training, the loop serves jobs after each step; otherwise serve now.
    if (!this.loopDone) void this.serveJobs();
  }

  private async serveJobs(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      for (;;) {
        const job = this.pendingPredict ?? this.queue.shift();
        if (!job) return;
        if (job === this.pendingPredict) this.pendingPredict = undefined;
        await this.serve(job);
      }
    } finally {
      this.serving = false;
    }
  }

  private async serve(job: Job): Promise<void> {
    const live = this.live;
    try {
      if (!live) throw new ConfigureError('No model yet: choose a corpus and a model first.');
      switch (job.type) {
        case 'predict': {
          const prediction = await predictNext(live.model, live.tokenizer, job.prompt, {
            topTokens: job.topTokens ?? 10,
            beam: { topWords: job.topWords ?? 10 },
            ...(job.track ? { track: job.track } : {}),
          });
          // A newer request arrived while we computed: this answer is stale, drop it.
          if (this.pendingPredict) return;
          this.deps.post({ type: 'prediction', requestId: job.requestId, prompt: job.prompt, step: live.trainer.step, prediction });
          return;
        }
        case 'attention': {
          const ids = live.tokenizer.encode(job.prompt).slice(-live.model.config.blockSize);
          const maps = await attentionMaps(live.model, ids);
          this.deps.post({ type: 'attention', requestId: job.requestId, tokens: ids.map((i) => live.tokenizer.tokenDisplay(i)), maps });
          return;
        }
        case 'generate': {
          for await (const token of generate(live.model, live.tokenizer, job.prompt, job.sample)) {
            this.deps.post({ type: 'generated', requestId: job.requestId, token, done: false });
          }
          this.deps.post({ type: 'generated', requestId: job.requestId, token: null, done: true });
          return;
        }
        default:
          return assertNever(job);
      }
    } catch (e) {
      this.deps.post({ type: 'error', scope: job.type === 'generate' ? 'generate' : 'predict', requestId: job.requestId, message: messageOf(e) });
    }
  }

  // -------------------------------------------------------------------------------
  // Checkpoints

  private storage(key: string): tf.io.IOHandler {
    if (this.deps.storage) return this.deps.storage(key);
    const [h] = tf.io.getSaveHandlers(`indexeddb://${key}`);
    if (!h) throw new CheckpointSaveError('This browser offers no IndexedDB storage.');
    return h;
  }

  private async save(msg: Extract<ToWorker, { type: 'save' }>): Promise<void> {
    const live = this.requireLive();
    const memory = msg.target.kind === 'export' ? memoryFilesHandler() : undefined;
    const handler = memory ?? this.storage((msg.target as { key: string }).key);
    await saveCheckpoint(handler, this.checkpointInput(live));
    if (memory?.files) {
      const files = memory.files;
      this.deps.post({ type: 'saved', requestId: msg.requestId, step: live.trainer.step, files }, [files.weights]);
    } else {
      this.deps.post({ type: 'saved', requestId: msg.requestId, step: live.trainer.step });
    }
  }

  private async load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
    const handler = msg.source.kind === 'files' ? memoryFilesHandler(msg.source.files) : this.storage(msg.source.key);
    const loaded: LoadedCheckpoint = await loadCheckpoint(handler); // throws before touching anything
    await this.adopt(loaded, msg.source.session);
    this.postLoaded(msg.requestId, loaded);
  }

  /** After `ready`, the loaded session's curves, so the page's chart matches its step. */
  private postLoaded(requestId: number, loaded: LoadedCheckpoint): void {
    const extra = loaded.meta.extra;
    this.deps.post({ type: 'loaded', requestId, model: this.summary(), ...(extra ? { extra: { history: extra.history } } : {}) });
  }

  /**
   * Make a loaded checkpoint the live session. `fallback` supplies the corpus and run
   * settings when the checkpoint has none (the CLI's). Frees the checkpoint on failure.
   */
  private async adopt(loaded: LoadedCheckpoint, fallback?: SessionConfig): Promise<void> {
    try {
      const own = loaded.meta.extra?.session as SessionConfig | undefined;
      const given = own ?? (fallback && { ...fallback, model: { ...loaded.model.config } });
      // A run planned shorter than the steps already trained is simply finished ("600 / 600", not "600 / 400").
      const session = given && { ...given, targetSteps: Math.max(given.targetSteps, loaded.meta.step) };
      if (!session?.corpus?.text) throw new ConfigureError('The checkpoint does not include its corpus, so training cannot resume.');
      const data = splitTokens(loaded.tokenizer.encode(session.corpus.text), loaded.model.config.blockSize);
      await this.stopLoop();
      const trainer = new Trainer(loaded.model, data, loaded.meta.train, loaded.meta.step);
      if (loaded.optimizerState) trainer.optimizer.loadState(loaded.meta.optimizerStep, loaded.optimizerState);
      this.replaceLive({ config: session, tokenizer: loaded.tokenizer, data, model: loaded.model, trainer }, loaded.meta.extra);
    } catch (e) {
      if (this.live?.model !== loaded.model) disposeGPT(loaded.model);
      throw e;
    } finally {
      for (const t of Object.values(loaded.optimizerState ?? {})) t.dispose();
    }
  }
}

class ConfigureError extends Error {
  override name = 'ConfigureError';
}
class TrainError extends Error {
  override name = 'TrainError';
}
class CheckpointSaveError extends Error {
  override name = 'CheckpointSaveError';
}

function defaultSamplePrompt(tok: Tokenizer): string {
  return tok.encode('\n').length > 0 ? '\n' : tok.tokenText(0);
}

function messageOf(e: unknown): string {
  if (e instanceof PromptError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

function scopeOf(msg: ToWorker): Extract<FromWorker, { type: 'error' }>['scope'] {
  switch (msg.type) {
    case 'init':
      return 'backend';
    case 'configure':
    case 'reset':
      return 'configure';
    case 'save':
    case 'load':
      return 'checkpoint';
    case 'predict':
    case 'attention':
    case 'memory':
      return 'predict';
    case 'generate':
      return 'generate';
    default:
      return 'train';
  }
}

/** A zero-delay macrotask: MessageChannel avoids setTimeout's 4 ms clamp. */
function defaultYield(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
