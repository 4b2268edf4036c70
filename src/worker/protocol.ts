/**
 * The conversation between the page and the training worker, declared once: three tables.
 *
 * - `Requests`: what the page asks and what the worker answers (`ask` → `answer`), each with
 *   its line in `REQUESTS`: how long the worker may stay silent, what the page says it waited
 *   for, where a failure shows, and whether it waits behind setup work or is answered at once.
 * - `Commands`: what the page tells the worker with no answer (pause, resume, tune, …), each
 *   with its order in `COMMANDS`.
 * - `Events`: what the worker says unasked (a new model, progress, samples, saves, …).
 *
 * The wire format is derived from the tables, so adding a message touches its table line,
 * its handler (worker/session.ts's `answers` or `commands`) and its caller, nothing else:
 * the client's watchdog, the page's link and the session's router read these tables.
 *
 * Rules the types encode: every answer and every event about a model carries the model's
 * id (`modelId`), so the page can drop what belongs to a model it no longer shows; progress
 * carries only the loss points since the previous progress (deltas); failures are notices
 * ({code, params}, see i18n) the page says in the person's language.
 */
import type { SampleConfig } from '../config';
import type { GeneratedToken, Prediction } from '../predict/predictor';
import type { SentenceView } from '../predict/bowView';
import type { TokenizerConfig } from '../tokenizer';
import type { EvalResult, LossPoint } from '../train/trainer';
import type { TuneMethod, TuneMetrics } from '../train/finetune/preference';
import type { Fit, PreferenceRecord, SftRecord } from '../train/finetune/tuneData';
import type { Rating, SavedHistory, SessionConfig, Stage } from '../train/run';
import type { PresetTiming } from '../train/sizeAdvice';
import type { LrSchedule } from '../train/schedule';
import { noticeText, type Notice } from '../i18n';
import type { ExperimentEvent, ExperimentRequest } from './experimentProtocol';
import type { BackendName, BackendReport } from './backendReport';
import type { InsideAnswer, InsideAsk, ModelSummary } from './summary';
import type { RewindAnswer, RewindAsk, SnapshotList } from './rewindProtocol';
import type { GuestRequests } from './guestProtocol';

export * from './backendReport';
export * from './summary';
export type { FilmFrame, RewindAnswer, RewindAsk, SnapshotList } from './rewindProtocol';
export type { GuestTuneStart } from './guestProtocol';
export type { CorpusInput, SavedHistory, SessionConfig } from '../train/run';

export type RunState = 'idle' | 'running' | 'paused' | 'done';

/** A checkpoint as plain data: the tfjs model.json object and the weights' bytes. */
export interface CheckpointFiles {
  json: string;
  weights: ArrayBuffer;
}

/** Where the worker autosaves (IndexedDB, through tfjs's `indexeddb://` handler). */
export const AUTOSAVE_KEY = 'folio-autosave';

/** An export carries the run's snapshots (for rewinding) only when `snapshots` asks for them. */
export type SaveTarget = { kind: 'indexeddb'; key: string } | { kind: 'export'; snapshots?: boolean };
/**
 * `session` is used when the checkpoint does not carry its own (checkpoints written by
 * the CLI hold only the model and tokenizer): it supplies the corpus text and run settings.
 */
export type LoadSource = ({ kind: 'indexeddb'; key: string; session?: SessionConfig } | { kind: 'files'; files: CheckpointFiles; session?: SessionConfig }) & {
  /** Go on with this peak learning rate instead of the saved one (a run's fork, see state/runs). */
  learningRate?: number;
  /** A fork: its schedule starts again at the checkpoint's step and decays over this many steps. */
  forkSteps?: number;
  /** Why this model is loaded (the page keys its runs by it): a resumed save, a fork, a bundled model, a file. */
  origin?: 'resumed' | 'forked' | 'bundled' | 'loaded' | 'restored';
};

/** Where the page shows a failure. */
export type ErrorScope = 'backend' | 'configure' | 'train' | 'predict' | 'generate' | 'checkpoint' | 'worker';

/** What an unanswered request was waiting for (the page says it in words). */
export type WaitingFor = 'backend' | 'model' | 'corpus' | 'save' | 'prediction' | 'step' | 'run';

// ---------------------------------------------------------------------------------
// The tables

/** Page → worker → page: each request and its answer (the guest's lines are guestProtocol.ts). */
export interface Requests extends GuestRequests {
  /** Pick the backend (once, before anything else). */
  init: { ask: { backend: BackendName | 'auto' }; answer: { backend: BackendReport } };
  /** Build tokenizer, data and a fresh model; `corpusBytes` (a file) is decoded and checked here. The old model stays if this fails. */
  configure: { ask: { config: SessionConfig; corpusBytes?: ArrayBuffer }; answer: { model: ModelSummary } };
  /**
   * Fresh random weights (the same sizes; optionally another peak learning rate), a
   * learning-rate schedule over `steps`, and training starts: one message.
   */
  trainFromScratch: { ask: { steps: number; learningRate?: number }; answer: { model: ModelSummary } };
  /** Would these bytes make a corpus (decoded, checked, tokenized, split)? Nothing changes. */
  checkCorpus: { ask: { bytes: ArrayBuffer; tokenizer: TokenizerConfig; blockSize: number }; answer: { chars: number } };
  load: { ask: { source: LoadSource }; answer: { model: ModelSummary } };
  save: { ask: { target: SaveTarget }; answer: { modelId: string; step: number; files?: CheckpointFiles } };
  /** The ranked next tokens and words; the newest request wins (an older one is never answered). */
  predict: {
    /** `temperature`: rank as sampling at it would draw (the tracked word stays at 1). */
    ask: { prompt: string; topTokens?: number; topWords?: number; track?: string; temperature?: number };
    answer: { modelId: string; step: number; prompt: string; prediction: Prediction };
  };
  attention: { ask: { prompt: string }; answer: { modelId: string; tokens: string[]; maps: number[][][][] } };
  /** Tokens stream as `generated` events; the answer comes after the last. */
  generate: { ask: { prompt: string; sample: SampleConfig }; answer: { modelId: string; count: number } };
  /**
   * Two samples from the current model after `prompt`, for the person to compare: each to a
   * sentence's end or a word's end within `chars` characters, and different when the model
   * can write two different ones (`same`: it wrote the same text every time it was asked).
   */
  samplePair: {
    ask: { prompt: string; chars: number; seed: number };
    answer: { modelId: string; prompt: string; a: string; b: string; same: boolean };
  };
  /** The model's answer after `prompt` (a question in a tuned prompt format): greedy, to `end` or a sentence's end, at most 60 characters. */
  chat: { ask: { prompt: string; end: string }; answer: { modelId: string; prompt: string; answer: string } };
  /** The ranked next words of the reference model (the "before" of a fine-tuning stage). */
  predictReference: { ask: { prompt: string }; answer: { modelId: string; prompt: string; prediction: Prediction | null } };
  /** Inside the model: an embedding map, a logit lens, one inspected step (worker/inside.ts). */
  inside: { ask: { ask: InsideAsk }; answer: { modelId: string; answer: InsideAnswer | null } };
  /** dna/bow: the "bow" sentences read by the bundled bow model (its files, sent once: later asks may leave them out), see bowModel.ts. */
  bowView: { ask: { files?: CheckpointFiles; sentences: string[] }; answer: { views: SentenceView[] } };
  /** Rewind: questions to one of the run's snapshots (the model as it was at an earlier step), never to the live model (rewindDesk.ts). */
  rewind: { ask: { ask: RewindAsk }; answer: { modelId: string; answer: RewindAnswer } };
  /** tf.memory() (the leak checks of the tests). */
  memory: { ask: Record<never, never>; answer: { numTensors: number; numBytes: number } };
  /** Time a few steps of each preset on this backend (empty while training), see sizeProbe.ts. */
  probeSizes: { ask: { budgetMs: number }; answer: { timings: PresetTiming[] } };
}

/** Page → worker, no answer. */
export interface Commands {
  /** Change the run's length; a finished run can go on. */
  target: { steps: number };
  /**
   * Train until the target (a paused fine-tuning stage goes on); `target` first sets it, and
   * `learningRate` another peak rate for the schedule from here (after a diverged run).
   */
  resume: { target?: number; learningRate?: number };
  pause: Record<never, never>;
  /** Run exactly `count` steps (default 1) and pause. */
  step: { count?: number };
  /**
   * Fine-tune the live model for `steps` steps: instruction tuning on examples, or DPO or
   * RLHF on preference pairs (text; the worker encodes them). A frozen copy of the model as
   * it is now becomes the stage's reference, and the tuned model gets a new id.
   */
  tune: {
    method: TuneMethod;
    steps: number;
    beta?: number;
    /** Stop when the cost meter's KL passes this many nats (0: no budget; default 0.3). */
    klBudget?: number;
    /** Hold the model's predictions on pre-training text to the model before the stage, every step, so it keeps what it knew (default true). */
    keep?: boolean;
    examples?: SftRecord[];
    pairs?: PreferenceRecord[];
  };
  /** The person's ratings, kept with the model (autosave, export). */
  feedback: { ratings: Rating[] };
  /** The backend race and the size sweep (experimentProtocol.ts). */
  experiment: { request: ExperimentRequest };
}

/** Worker → page, unasked. */
export interface Events {
  backend: { backend: BackendReport };
  /**
   * A new model is live (built, loaded, resumed, forked, tuned, reset, restored after a
   * failure): everything the page showed about the old one goes. It comes with its own run
   * history (empty for a new one), stages and ratings.
   */
  model: { model: ModelSummary; history: SavedHistory; ratings: Rating[] };
  progress: {
    modelId: string;
    state: RunState;
    /** What the run trains: pre-training, or a fine-tuning stage. */
    stage: 'pretrain' | TuneMethod;
    /** The job's step (a fine-tuning stage counts its own) and its target. */
    step: number;
    targetSteps: number;
    /** Every step the model has trained, all stages together. */
    totalSteps: number;
    /** Loss points since the previous progress message. */
    losses: LossPoint[];
    tokensPerSec: number;
    lr: number;
    /** The learning rate's schedule (a run resumed with another rate gets a new one). */
    schedule: LrSchedule;
    /** Training time so far (paused time excluded). */
    elapsedMs: number;
    /** Before a run's first step: about how long one step will take (ms), for the page's stall watchdog. */
    stepMsEstimate?: number;
  };
  eval: { modelId: string; result: EvalResult };
  sample: { modelId: string; step: number; prompt: string; text: string };
  generated: { requestId: number; token: GeneratedToken };
  /** The session was saved to the browser's storage (autosave), at this step. */
  autosaved: { modelId: string; key: string; step: number; totalSteps: number; corpusName: string };
  /** Long work in progress (a tokenizer being built): the worker is alive, and how far it got. */
  busy: { what: 'tokenizer'; done: number; total: number };
  /**
   * Fine-tuning metrics since the last report (the cost meter's `costKl`/`costTv` at the
   * steps it read), and the stages the model has been through. The stage's first report
   * (no metrics yet) says what fitting the data to the context did (`fit`) and the KL
   * budget it runs under; its last says what it came to (`outcome`: a budget stop, whether
   * RLHF's reward rose).
   */
  tuneProgress: {
    modelId: string;
    method: TuneMethod;
    metrics: TuneMetrics[];
    stages: Stage[];
    fit?: Fit;
    klBudget?: number;
    outcome?: Notice[];
  };
  /** The backend race and the size sweep: their progress and results (experimentProtocol.ts). */
  experiment: { event: ExperimentEvent };
  /** The snapshots kept of the live model's run changed (one taken, one dropped, a model with its own): rewindKeeper.ts. */
  snapshots: SnapshotList;
  /** A failure nobody asked about (a diverged run, a failed autosave, a lost backend). */
  error: { scope: ErrorScope; notice: Notice; message: string };
}

export type RequestKind = keyof Requests;
export type CommandKind = keyof Commands;
export type EventKind = keyof Events;

/**
 * When a message runs: `chain` waits for the setup work before it (tfjs fails if two
 * backend initialisations overlap); `now` is handled at once (questions are answered
 * between training steps); `run` waits in the chain too, and a pause that arrived after it
 * cancels it ("Pause" right after "Train from scratch" holds).
 */
export type Order = 'chain' | 'now' | 'run';

export interface RequestSpec {
  order: Order;
  /** Silence (ms) after which the page's watchdog says the request went unanswered; null: not watched. */
  limitMs: number | null;
  waitingFor: WaitingFor;
  /** Where its failure shows. */
  scope: ErrorScope;
  /** A newer request of the kind replaces an older one still waiting (the older is never answered). */
  latestWins?: boolean;
}

const Q = (limitMs: number | null, waitingFor: WaitingFor = 'prediction'): RequestSpec => ({ order: 'now', limitMs, waitingFor, scope: 'predict' });
export const REQUESTS: { readonly [K in RequestKind]: RequestSpec } = {
  init: { order: 'chain', limitMs: 60_000, waitingFor: 'backend', scope: 'backend' },
  configure: { order: 'chain', limitMs: 60_000, waitingFor: 'model', scope: 'configure' },
  trainFromScratch: { order: 'run', limitMs: 60_000, waitingFor: 'model', scope: 'configure' },
  checkCorpus: { order: 'now', limitMs: 60_000, waitingFor: 'corpus', scope: 'configure' },
  load: { order: 'chain', limitMs: 60_000, waitingFor: 'model', scope: 'checkpoint' },
  save: { order: 'chain', limitMs: 60_000, waitingFor: 'save', scope: 'checkpoint' },
  predict: { ...Q(30_000), latestWins: true },
  attention: Q(null),
  generate: { ...Q(null), scope: 'generate' },
  samplePair: Q(null),
  chat: Q(null),
  predictReference: Q(null),
  inside: Q(null),
  bowView: { ...Q(null), order: 'chain' },
  rewind: Q(null),
  memory: Q(null),
  probeSizes: { ...Q(60_000, 'step'), order: 'chain' },
  guestLoad: { order: 'chain', limitMs: 120_000, waitingFor: 'model', scope: 'checkpoint' },
  guestDrop: Q(null),
  guestPredict: { ...Q(60_000), latestWins: true },
  guestAttention: Q(null),
  guestLens: Q(null),
  guestGenerate: { ...Q(null), scope: 'generate' },
  guestTuneStart: { ...Q(120_000, 'step'), scope: 'train' },
  guestTuneSteps: { ...Q(null, 'step'), scope: 'train' },
  guestTuneEnd: { ...Q(null, 'step'), scope: 'train' },
  guestAdapters: { ...Q(null, 'save'), scope: 'checkpoint' },
  guestMerge: { ...Q(null, 'model'), scope: 'checkpoint' },
  guestExport: { ...Q(null, 'save'), scope: 'checkpoint' },
};

export const COMMANDS: { readonly [K in CommandKind]: { order: Order; scope: ErrorScope } } = {
  target: { order: 'chain', scope: 'train' },
  resume: { order: 'run', scope: 'train' },
  pause: { order: 'now', scope: 'train' },
  step: { order: 'run', scope: 'train' },
  tune: { order: 'run', scope: 'train' },
  feedback: { order: 'now', scope: 'predict' },
  experiment: { order: 'chain', scope: 'train' },
};

// ---------------------------------------------------------------------------------
// The wire format, derived from the tables

export type Ask<K extends RequestKind> = { type: K; requestId: number } & Requests[K]['ask'];
export type Command<K extends CommandKind = CommandKind> = { [C in K]: { type: C } & Commands[C] }[K];
export type Answer<K extends RequestKind> = { type: 'answer'; kind: K; requestId: number } & Requests[K]['answer'];
export type Failure = { type: 'failed'; kind: RequestKind; requestId: number; scope: ErrorScope; notice: Notice; message: string };
export type Event<K extends EventKind = EventKind> = { [E in K]: { type: E } & Events[E] }[K];

export type AnyAsk = { [K in RequestKind]: Ask<K> }[RequestKind];
export type AnyAnswer = { [K in RequestKind]: Answer<K> }[RequestKind];

export type ToWorker = AnyAsk | Command;
export type FromWorker = AnyAnswer | Failure | Event;

export function isRequest(msg: ToWorker): msg is AnyAsk {
  return msg.type in REQUESTS;
}

/** The order a message runs in (its table line). */
export function orderOf(msg: ToWorker): Order {
  if (msg.type === 'experiment' && msg.request.kind === 'stop') return 'now'; // at once; a race or sweep waits its turn
  return isRequest(msg) ? REQUESTS[msg.type].order : COMMANDS[msg.type].order;
}

/** Where the failure of a message shows. */
export function scopeOf(msg: ToWorker): ErrorScope {
  return isRequest(msg) ? REQUESTS[msg.type].scope : COMMANDS[msg.type].scope;
}

/** An `error` event for a notice (with its English text). */
export function errorEvent(scope: ErrorScope, n: Notice): Event<'error'> {
  return { type: 'error', scope, notice: n, message: noticeText('en', n) };
}

/** The failure of request `ask`. */
export function failureOf(ask: AnyAsk, n: Notice): Failure {
  return { type: 'failed', kind: ask.type, requestId: ask.requestId, scope: REQUESTS[ask.type].scope, notice: n, message: noticeText('en', n) };
}

/** A request's handler: its answer, or undefined when a newer request of its kind made it moot. */
export type AnswerHandlers = {
  [K in RequestKind]: (ask: Ask<K>, arrival: number) => Promise<Requests[K]['answer'] | undefined> | Requests[K]['answer'] | undefined;
};
export type CommandHandlers = { [K in CommandKind]: (cmd: Command<K>, arrival: number) => Promise<void> | void };

/** Buffers an answer hands over instead of copying (a checkpoint's weights): `post` transfers them. */
const TRANSFER = new WeakMap<object, Transferable[]>();
export function transferring<T extends object>(answer: T, list: Transferable[]): T {
  TRANSFER.set(answer, list);
  return answer;
}
export const transferOf = (answer: object): Transferable[] | undefined => TRANSFER.get(answer);

/** Compile-time exhaustiveness: a forgotten case is a type error here. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(x)}`);
}
