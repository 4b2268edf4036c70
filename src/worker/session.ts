/**
 * The training session that lives in the worker: a router. It answers every `ToWorker`
 * message by handing it to the part whose job it is, and owns only what ties them
 * together — the backend, the live model (tokenizer, data, model, trainer) and the order
 * messages run in.
 *
 * The parts, each with its own tests:
 * - runLoop.ts — a job's steps, states, "step N", progress, elapsed time, history;
 * - job.ts — what a step is for each kind of training (pre-training, for now);
 * - divergenceGuard.ts — good weights to fall back on when the loss blows up;
 * - autosave.ts — memory and IndexedDB saves while training and when it stops;
 * - questions.ts — next words, attention and generation between steps, newest wins;
 * - modelIO.ts — checkpoints to and from the live model;
 * - desks.ts — fine-tuning's samples, the inside views, the bow model, the race and sweep,
 *   memory and the size probe.
 *
 * No DOM here: `post` is injected, so tests drive a session with a fake `post`.
 */
import * as tf from '@tensorflow/tfjs';
import { validateModelConfig, validateModelMemory, withLearningRate } from '../config';
import { decodeCorpusBytes, validateCorpusText } from '../data/corpus';
import { splitTokens } from '../data/dataset';
import { createGPT, disposeGPT } from '../model/gpt';
import { buildTokenizer } from '../tokenizer';
import { Trainer } from '../train/trainer';
import { Autosave } from './autosave';
import { DivergenceGuard } from './divergenceGuard';
import { pretrainJob } from './job';
import { ConfigureError, noModel, summaryOf, type Live } from './live';
import { notice, noticeOf, noticeText } from '../i18n';
import { liveFromCheckpoint, readCheckpoint, readFiles, saveToFiles, storageHandler, checkpointInput, type SaveExtras } from './modelIO';
import { FineTuning } from './fineTuning';
import { assertNever, errorMessage, errorScopeOf, withThreadsLost, type BackendName, type BackendReport, type FromWorker, type SavedHistory, type SessionConfig, type ToWorker } from './protocol';
import { QuestionQueue } from './questions';
import { Desks, isDeskMessage } from './desks';
import { RunLoop } from './runLoop';
import { saveCheckpoint } from '../checkpoint/checkpoint';
import { nextMacrotask } from '../util/nextMacrotask';

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

export { AUTOSAVE_MS } from './autosave';
export { PROGRESS_INTERVAL_MS, READ_INTERVAL_MS } from './runLoop';

export class Session {
  private backend?: BackendReport;
  private live?: Live;
  private failedBackends: BackendName[] = [];
  private readonly post: Post;
  private readonly autosave: Autosave;
  private readonly questions: QuestionQueue;
  private readonly loop: RunLoop;
  private readonly tuning = new FineTuning();
  /** Requests about the model that neither train it nor set it up (desks.ts). */
  private readonly desks: Desks;
  /** Setup and control messages run one after another, in arrival order. */
  private chain: Promise<void> = Promise.resolve();
  /** Messages numbered as they arrive, and the number of the newest pause. */
  private arrivals = 0;
  private lastPause = 0;

  constructor(private readonly deps: SessionDeps) {
    const post = (this.post = deps.post);
    const now = deps.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
    const live = () => this.live;
    this.autosave = new Autosave({ post, now, key: deps.autosaveKey, storage: deps.storage, extras: () => this.extras() });
    this.questions = new QuestionQueue(post, live);
    this.loop = new RunLoop({
      post,
      now,
      yieldToEvents: deps.yieldToEvents ?? nextMacrotask,
      live,
      jobFor: pretrainJob,
      guard: new DivergenceGuard(),
      autosave: this.autosave,
      questions: this.questions,
      freshModel: (old) => this.replaceLive({ ...old, ...this.freshWeights(old, old.config.train) }),
    });
    this.desks = new Desks({
      post,
      live,
      requireLive: () => this.requireLive(),
      backend: () => this.backend,
      chooseBackend: (b) => deps.chooseBackend(b),
      loop: this.loop,
      questions: this.questions,
      tuning: this.tuning,
      yieldToEvents: deps.yieldToEvents,
      pauses: () => this.lastPause,
    });
  }

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
      case 'experiment':
        if (msg.request.kind === 'stop') return this.handleNow(msg); // at once; a race or sweep waits its turn
        return (this.chain = this.chain.then(() => this.handleNow(msg)));
      case 'start':
      case 'resume':
      case 'step':
      case 'tune':
        // A pause that arrived after this command (while it waited in the chain, e.g.
        // behind a reset) cancels it: "Pause" right after "Train from scratch" holds.
        return (this.chain = this.chain.then(() => (this.lastPause > arrival ? this.loop.postProgress(true) : this.handleNow(msg))));
      case 'predict':
      case 'attention':
      case 'generate':
      case 'memory':
      case 'checkCorpus':
      case 'samplePair':
      case 'predictReference':
      case 'feedback':
      case 'inside':
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
          return this.loop.setTarget(this.requireLive(), msg.steps);
        case 'checkCorpus':
          return this.checkCorpus(msg);
        case 'start':
        case 'resume':
          return this.loop.start(this.requireLive());
        case 'pause':
          return this.loop.pause();
        case 'step':
          return this.loop.stepN(this.requireLive(), msg.count ?? 1);
        case 'reset':
          return await this.reset(msg.learningRate, msg.decaySteps);
        case 'predict':
        case 'attention':
        case 'generate':
          this.questions.ask(msg);
          // While training, the loop serves questions after each step; otherwise now.
          if (!this.loop.looping) void this.questions.serve();
          return;
        case 'tune': {
          const live = this.requireLive();
          await this.loop.stop();
          return this.loop.startJob(await this.tuning.start(live, msg, { post: this.post, history: this.loop.savedHistory() }));
        }
        case 'save':
          return await this.save(msg);
        case 'load':
          return await this.load(msg);
        default:
          if (isDeskMessage(msg)) return await this.desks.answer(msg);
          return assertNever(msg);
      }
    } catch (e) {
      this.post(errorMessage(errorScopeOf(msg), noticeOf(e), 'requestId' in msg ? msg.requestId : undefined));
    }
  }

  // -------------------------------------------------------------------------------
  // Setup

  private async init(requested: BackendName | 'auto'): Promise<void> {
    await this.loop.stop();
    this.backend = await this.deps.chooseBackend(requested);
    this.post({ type: 'backend', backend: this.backend });
  }

  /** Build everything new first; only when all of it worked replace the old session. */
  private async configure(config: SessionConfig): Promise<void> {
    if (!this.backend) await this.init('auto');
    const errs = validateModelConfig(config.model);
    if (errs.length) throw new ConfigureError(errs[0]!); // the page checks sizes as they are typed, all of them
    const text = validateCorpusText(config.corpus.text);
    let said = -Infinity;
    const tokenizer = buildTokenizer(text, config.tokenizer, (done, total) => {
      // Posted from inside the build: the page hears the worker is alive (at most 4 a second).
      if (performance.now() - said < 250) return;
      said = performance.now();
      this.post({ type: 'busy', what: 'tokenizer', done, total });
    });
    // The page refuses such sizes as they are typed; a shared link or the CLI may still ask.
    const tooBig = validateModelMemory({ ...config.model, vocabSize: tokenizer.vocabSize }, config.train.batchSize);
    if (tooBig.length) throw new ConfigureError(tooBig[0]!);
    const data = splitTokens(tokenizer.encode(text), config.model.blockSize);
    await this.loop.stop();
    const model = createGPT({ ...config.model, vocabSize: tokenizer.vocabSize }, config.train.seed);
    this.replaceLive({ config, tokenizer, data, model, trainer: new Trainer(model, data, config.train) });
  }

  /** Fresh random weights, same configuration (optionally another peak learning rate). */
  private async reset(learningRate?: number, decaySteps?: number): Promise<void> {
    const live = this.requireLive();
    if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate))) {
      throw new ConfigureError(notice('lrInvalid', { got: String(learningRate) }));
    }
    await this.loop.stop();
    const { scheduleFrom: _from, ...own } = live.config.train; // fresh weights: the schedule starts at step 0
    const peaked = learningRate === undefined ? own : withLearningRate(own, learningRate);
    // "Train from scratch" with another number of steps: the cosine spans the new run.
    const train = decaySteps !== undefined && Number.isInteger(decaySteps) && decaySteps > 0 ? { ...peaked, decaySteps: Math.max(decaySteps, peaked.warmupSteps + 1) } : peaked;
    this.replaceLive({ ...live, config: { ...live.config, train }, ...this.freshWeights(live, train) });
  }

  private freshWeights(live: Live, train: Live['trainer']['cfg']): Pick<Live, 'model' | 'trainer'> {
    const model = createGPT(live.model.config, train.seed);
    return { model, trainer: new Trainer(model, live.data, train) };
  }

  private replaceLive(next: Live, history?: SavedHistory, extras?: SaveExtras): void {
    if (this.live) {
      this.live.trainer.dispose();
      disposeGPT(this.live.model);
    }
    this.live = next;
    this.loop.reset(history);
    this.tuning.reset(next, extras);
    this.post({ type: 'ready', backend: this.backend!, model: summaryOf(next) });
  }

  private checkCorpus(msg: Extract<ToWorker, { type: 'checkCorpus' }>): void {
    try {
      const text = validateCorpusText(decodeCorpusBytes(new Uint8Array(msg.bytes)));
      splitTokens(buildTokenizer(text, msg.tokenizer).encode(text), msg.blockSize);
      this.post({ type: 'corpusChecked', requestId: msg.requestId, ok: true, chars: text.length });
    } catch (e) {
      const n = noticeOf(e);
      this.post({ type: 'corpusChecked', requestId: msg.requestId, ok: false, notice: n, message: noticeText('en', n) });
    }
  }

  private requireLive(): Live {
    if (!this.live) throw noModel();
    return this.live;
  }

  // -------------------------------------------------------------------------------
  // Checkpoints

  private async save(msg: Extract<ToWorker, { type: 'save' }>): Promise<void> {
    const live = this.requireLive();
    const step = live.trainer.step;
    if (msg.target.kind === 'export') {
      const files = await saveToFiles(live, this.loop.savedHistory(), this.extras());
      this.post({ type: 'saved', requestId: msg.requestId, step, files }, [files.weights]);
    } else {
      await saveCheckpoint(storageHandler(msg.target.key, this.deps.storage), checkpointInput(live, this.loop.savedHistory(), this.extras()));
      this.post({ type: 'saved', requestId: msg.requestId, step });
    }
  }

  private async load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
    const loaded = await readCheckpoint(msg.source, this.deps.storage); // throws before touching anything
    const { live, history, extras } = liveFromCheckpoint(loaded, msg.source.session, msg.source.learningRate, msg.source.forkSteps);
    await this.adopt(msg.requestId, live, history, extras);
  }

  /** Make a loaded model the live one; after `ready`, its curves, stages and ratings, so the page matches it. */
  private async adopt(requestId: number, live: Live, history: SavedHistory | undefined, extras: SaveExtras): Promise<void> {
    await this.loop.stop();
    this.replaceLive(live, history, extras);
    this.post({ type: 'loaded', requestId, model: summaryOf(live), ...(history ? { history } : {}), stages: this.tuning.stages, ratings: this.tuning.ratings });
  }

  /** What a save keeps besides the model and its run. */
  private extras(): SaveExtras {
    if (this.live) this.tuning.syncPretrain(this.live);
    return { stages: this.tuning.stages, ratings: this.tuning.ratings };
  }

  // -------------------------------------------------------------------------------
  // When the machine under the session changes

  /** Folio's matMul threads stopped: training goes on single-threaded; the badge says why. */
  threadsLost(reason: string): void {
    if (!this.backend) return;
    this.backend = withThreadsLost(this.backend, reason);
    this.post({ type: 'backend', backend: this.backend });
  }

  /**
   * The backend failed under us (a lost WebGPU device, a failing kernel): pick the next
   * backend, reload the last save there and carry on training, saying so.
   */
  async backendFailed(reason: string): Promise<void> {
    const failed = this.backend?.name;
    const saved = this.autosave.lastSaved;
    const wasRunning = this.loop.state === 'running' || this.loop.wantsToRun;
    const pausesBefore = this.lastPause;
    const live = this.live;
    this.live = undefined; // a loop stuck on the dead backend sees this and stops
    this.loop.abandon(); // …and is not waited for: it may never return
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
      this.post({ type: 'backend', backend: this.backend });
      if (!saved) return this.post(errorMessage('backend', notice('backendNoSave', { failed: failed ?? '', reason })));
      const restored = liveFromCheckpoint(await readFiles(saved.files));
      await this.adopt(0, restored.live, restored.history, restored.extras); // no request asked for it: 0
      this.post(errorMessage('backend', notice('backendSwitched', { failed: failed ?? '', reason, to: this.backend.name, step: saved.step })));
      // A pause pressed during the switch wins; the page then hears that nothing runs.
      if (wasRunning && this.lastPause === pausesBefore) this.loop.start(restored.live);
      else this.loop.postProgress(true);
    } catch (e) {
      this.post(errorMessage('backend', notice('backendFailed', { failed: failed ?? '', reason, error: noticeOf(e) })));
    }
  }
}
