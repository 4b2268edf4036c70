/**
 * The training session that lives in the worker: a router. Every message of the protocol's
 * tables (protocol.ts) has its handler here — `answers` for requests, `commands` for the
 * rest — and the tables say when it runs; the session owns only what ties the parts
 * together: the backend, the live model and its identity, and the order messages run in.
 * The parts (each with its own tests): runLoop.ts and job.ts (a job's steps and states), divergenceGuard.ts,
 * autosave.ts, questions.ts (next words, attention, generation between steps), build.ts and modelIO.ts
 * (models made and loaded), rewindKeeper.ts (the run's snapshots), desks.ts (fine-tuning's samples, the inside
 * views, the bow model, the race and sweep, the size probe, rewind). No DOM: `post` is injected (tests fake it).
 */
import * as tf from '@tensorflow/tfjs';
import { decodeCorpusBytes } from '../data/corpus';
import { disposeGPT } from '../model/gpt';
import { built, checkCorpus, freshTrain, freshWeights, prepare } from './build';
import { Autosave } from './autosave';
import { DivergenceGuard } from './divergenceGuard';
import { pretrainJob } from './job';
import { identity, noModel, summaryOf, TrainError, type Live } from './live';
import { notice, noticeOf } from '../i18n';
import { liveFromCheckpoint, readCheckpoint, readFiles, saveLive, type SaveExtras } from './modelIO';
import { FineTuning } from './fineTuning';
import { GuestDesk, guestHandlers } from './guest';
import {
  COMMANDS,
  errorEvent,
  failureOf,
  isRequest,
  orderOf,
  transferOf,
  type AnyAnswer,
  type AnyAsk,
  type Ask,
  type BackendName,
  type BackendReport,
  type Command,
  type AnswerHandlers,
  type CommandHandlers,
  type FromWorker,
  type Requests,
  type SavedHistory,
  type SessionConfig,
  type ToWorker,
} from './protocol';
import { withThreadsLost } from './backendReport';
import type { ModelOrigin, ModelSummary } from './summary';
import { QuestionQueue, type Question } from './questions';
import { Desks } from './desks';
import { RunLoop } from './runLoop';
import { RewindKeeper } from './rewindKeeper';
import type { StoredSnapshot } from '../checkpoint/rewindFiles';
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
  private readonly guest = new GuestDesk(() => this.live?.config.corpus.text); // its LoRA's cost meter reads the person's corpus
  private readonly desks: Desks;
  private readonly rewind: RewindKeeper;
  /** The request table's handlers: the session's own and its desks'. */
  private readonly answers: AnswerHandlers;
  /** Setup and control messages run one after another, in arrival order. */
  private chain: Promise<void> = Promise.resolve();
  /** Messages numbered as they arrive, and the number of the newest pause. */
  private arrivals = 0;
  private lastPause = 0;

  constructor(private readonly deps: SessionDeps) {
    const post = (this.post = deps.post);
    const now = deps.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
    const live = () => this.live;
    const stored = { key: deps.autosaveKey, storage: deps.storage };
    const rewind = (this.rewind = new RewindKeeper({ post, ...stored })); // rewind's snapshots are stored beside each autosave
    this.autosave = new Autosave({ post, now, ...stored, extras: () => this.extras(), afterStore: (l) => rewind.persist(l) });
    this.questions = new QuestionQueue(live);
    this.loop = new RunLoop({
      post,
      now,
      yieldToEvents: deps.yieldToEvents ?? nextMacrotask,
      live,
      totalSteps: (l) => this.tuning.totalSteps(l),
      jobFor: pretrainJob,
      guard: new DivergenceGuard(),
      autosave: this.autosave,
      questions: this.questions,
      freshModel: (old) => this.replaceLive(freshWeights(old, old.config.train)),
      rewind,
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
      rewind,
    });
    this.answers = { ...this.ownAnswers(), ...this.desks.answers(), ...guestHandlers(this.guest, post) }; // the guest: the pretrained model beside the live one
  }

  /**
   * Handle one message, in the order its table line says (protocol.ts `Order`). Never
   * throws: a failed request is answered with `failed`, a failed command with an `error`.
   */
  handle(msg: ToWorker): Promise<void> {
    const arrival = ++this.arrivals;
    if (msg.type === 'pause') this.lastPause = arrival;
    switch (orderOf(msg)) {
      case 'now':
        return this.run(msg, arrival);
      case 'chain':
        return (this.chain = this.chain.then(() => this.run(msg, arrival)));
      case 'run':
        // A pause that arrived after this command (while it waited in the chain, e.g. behind a
        // reset) cancels it: "Pause" right after "Train from scratch" holds. A request still
        // runs and answers: its handler sees the pause itself (trainFromScratch builds, then waits).
        return (this.chain = this.chain.then(() => (this.lastPause > arrival && !isRequest(msg) ? this.loop.postProgress(true) : this.run(msg, arrival))));
    }
  }

  private async run(msg: ToWorker, arrival: number): Promise<void> {
    if (isRequest(msg)) {
      try {
        const handler = this.answers[msg.type] as (ask: AnyAsk, arrival: number) => Promise<object | undefined> | object | undefined;
        const answer = await handler(msg, arrival);
        if (answer === undefined) return; // a newer request of its kind is answered instead
        this.post({ type: 'answer', kind: msg.type, requestId: msg.requestId, ...answer } as AnyAnswer, transferOf(answer));
      } catch (e) {
        this.post(failureOf(msg, noticeOf(e)));
      }
      return;
    }
    try {
      const handler = this.commands[msg.type] as (cmd: Command, arrival: number) => Promise<void> | void;
      await handler(msg, arrival);
    } catch (e) {
      this.post(errorEvent(COMMANDS[msg.type].scope, noticeOf(e)));
    }
  }

  // The handlers: one per line of protocol.ts's tables (a missing one is a type error)

  private ownAnswers(): Omit<AnswerHandlers, keyof ReturnType<Desks['answers']> | keyof ReturnType<typeof guestHandlers>> {
    return {
      init: async ({ backend }) => {
        await this.loop.stop();
        this.backend = await this.deps.chooseBackend(backend);
        this.post({ type: 'backend', backend: this.backend });
        return { backend: this.backend };
      },
      configure: async ({ config, corpusBytes }) => {
        await this.configure(corpusBytes ? { ...config, corpus: { ...config.corpus, text: decodeCorpusBytes(new Uint8Array(corpusBytes)) } } : config);
        return { model: this.summary() };
      },
      trainFromScratch: async ({ steps, learningRate }, arrival) => {
        if (!Number.isInteger(steps) || steps < 1) throw new TrainError(notice('stepsInvalid', { got: String(steps) }));
        await this.reset(learningRate, steps, steps);
        const live = this.requireLive();
        // A pause pressed after "Train from scratch" holds: the fresh model waits.
        if (this.lastPause > arrival) this.loop.postProgress(true);
        else this.loop.start(live);
        return { model: this.summary() };
      },
      checkCorpus: ({ bytes, tokenizer, blockSize }) => ({ chars: checkCorpus(bytes, tokenizer, blockSize) }),
      load: async ({ source }) => {
        const loaded = await readCheckpoint(source, this.deps.storage); // throws before touching anything
        const snapshots = await this.rewind.read(source, loaded);
        const { live, history, extras } = liveFromCheckpoint(loaded, source.session, source.learningRate, source.forkSteps);
        await this.adopt({ ...live, ...identity(source.origin ?? 'loaded', loaded.meta.extra?.modelId) }, history, extras, snapshots);
        return { model: this.summary() };
      },
      save: ({ target }) => saveLive(this.requireLive(), target, this.loop.savedHistory(), this.extras(), this.deps.storage, this.rewind),
      predict: (ask) => this.question(ask),
      attention: (ask) => this.question(ask),
      generate: (ask) => this.question(ask, (token) => this.post({ type: 'generated', requestId: ask.requestId, token })),
    };
  }

  private readonly commands: CommandHandlers = {
    target: ({ steps }) => this.loop.setTarget(this.requireLive(), steps),
    resume: ({ target, learningRate }) => {
      const live = this.requireLive();
      if (target !== undefined) this.loop.setTarget(live, target);
      if (learningRate !== undefined) {
        if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new TrainError(notice('lrInvalid', { got: String(learningRate) }));
        // The rate the learner typed after a divergence is the one the run goes on with: a schedule from here to the target.
        live.trainer.restartSchedule(learningRate, live.config.targetSteps - live.trainer.step);
        live.config = { ...live.config, train: live.trainer.cfg };
      }
      this.loop.start(live);
    },
    pause: () => this.loop.pause(),
    step: ({ count }) => this.loop.stepN(this.requireLive(), count ?? 1),
    tune: async (cmd) => {
      const live = this.requireLive();
      await this.loop.stop();
      const job = await this.tuning.start(live, cmd, { post: this.post, history: this.loop.savedHistory() });
      // The weights the stage changes are another model: the page keys what it shows by the new id.
      Object.assign(live, identity('tuned', live.id));
      this.announce(live, this.loop.savedHistory());
      this.rewind.modelChanged(live); // the stage continues the run: its snapshots stay
      this.loop.startJob(job);
    },
    feedback: ({ ratings }) => void (this.tuning.ratings = [...ratings]),
    experiment: ({ request }) => this.desks.experiment(request),
  };

  /** Next words, attention and generation wait for the gap between training steps (questions.ts). */
  private question<K extends 'predict' | 'attention' | 'generate'>(
    ask: Ask<K>,
    onToken?: Parameters<QuestionQueue['ask']>[1],
  ): Promise<Requests[K]['answer'] | undefined> {
    const answer = this.questions.ask(ask as Question, onToken) as Promise<Requests[K]['answer'] | undefined>;
    // While training, the loop serves questions after each step; otherwise now.
    if (!this.loop.looping) void this.questions.serve();
    return answer;
  }

  // Setup

  /** Build everything new first; only when all of it worked replace the old session. */
  private async configure(config: SessionConfig): Promise<void> {
    if (!this.backend) await this.answers.init({ type: 'init', requestId: 0, backend: 'auto' }, 0);
    const parts = prepare(config, this.post);
    await this.loop.stop();
    this.replaceLive(built(parts));
  }

  /** Fresh random weights, same configuration (optionally another peak learning rate); the cosine spans `decaySteps`, the run `targetSteps`. */
  private async reset(learningRate?: number, decaySteps?: number, targetSteps?: number): Promise<void> {
    const live = this.requireLive();
    const train = freshTrain(live, learningRate, decaySteps);
    await this.loop.stop();
    const fresh = freshWeights(live, train);
    if (targetSteps !== undefined) fresh.config = { ...fresh.config, targetSteps }; // before the model is announced: the page reads its target
    this.replaceLive(fresh);
  }

  /** Make `next` the live model (freeing the old one), and tell the page: a new id, its history, stages, ratings and snapshots. */
  private replaceLive(next: Live, history?: SavedHistory, extras?: SaveExtras, snapshots?: StoredSnapshot[]): void {
    if (this.live) {
      this.live.trainer.dispose();
      disposeGPT(this.live.model);
    }
    this.live = next;
    this.loop.reset(history);
    this.tuning.reset(next, extras);
    this.desks.modelChanged();
    this.announce(next, this.loop.savedHistory());
    this.rewind.modelChanged(next, snapshots);
  }

  private announce(live: Live, history: SavedHistory): void {
    this.post({ type: 'model', model: this.summary(live), history, ratings: [...this.tuning.ratings] });
  }

  private summary = (live = this.requireLive()): ModelSummary => summaryOf(live, this.tuning.stagesOf(live));

  private requireLive(): Live {
    if (!this.live) throw noModel();
    return this.live;
  }

  /** Make a loaded model the live one (its curves, stages and ratings come with the `model` event). */
  private async adopt(live: Live, history: SavedHistory | undefined, extras: SaveExtras, snapshots?: StoredSnapshot[]): Promise<void> {
    await this.loop.stop();
    this.replaceLive(live, history, extras, snapshots);
  }
  /** What a save keeps besides the model and its run: stages, ratings and the model's id (a loaded copy names it as its parent). */
  private extras(): SaveExtras & { modelId?: string } {
    const live = this.live;
    return { stages: live ? this.tuning.stagesOf(live) : this.tuning.stages, ratings: this.tuning.ratings, ...(live ? { modelId: live.id } : {}) };
  }

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
      if (!saved) return this.post(errorEvent('backend', notice('backendNoSave', { failed: failed ?? '', reason })));
      const loaded = await readFiles(saved.files);
      const restored = liveFromCheckpoint(loaded);
      const origin: ModelOrigin = 'restored';
      const next = { ...restored.live, ...identity(origin, loaded.meta.extra?.modelId) };
      await this.adopt(next, restored.history, restored.extras);
      this.post(errorEvent('backend', notice('backendSwitched', { failed: failed ?? '', reason, to: this.backend.name, step: saved.step })));
      // A pause pressed during the switch wins; the page then hears that nothing runs.
      if (wasRunning && this.lastPause === pausesBefore) this.loop.start(next);
      else this.loop.postProgress(true);
    } catch (e) {
      this.post(errorEvent('backend', notice('backendFailed', { failed: failed ?? '', reason, error: noticeOf(e) })));
    }
  }
}
