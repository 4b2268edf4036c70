/**
 * The typed conversation between the page and the training worker — every message
 * either side can send, as discriminated unions, in this one file.
 *
 * Rules the types encode:
 * - Requests that get an answer carry a `requestId`; for predictions the newest
 *   request wins and older ones are dropped unanswered.
 * - Progress carries only the loss points since the previous progress message
 *   (deltas), never the whole history.
 * - Errors are notices ({code, params}, see i18n.ts) that the page says in the person's
 *   language, with a `scope` that says where it shows them; the working model always
 *   survives an error.
 */
import type { ModelConfig, SampleConfig, SizedModelConfig, TrainConfig } from '../config';
import type { GeneratedToken, Prediction } from '../predict/predictor';
import type { SentenceView } from '../predict/bowView';
import type { TokenizerConfig } from '../tokenizer';
import type { EvalResult, LossPoint } from '../train/trainer';
import type { TuneMethod, TuneMetrics } from '../train/finetune/preference';
import type { PreferenceRecord, SftRecord } from '../train/finetune/tuneData';
import type { Rating, Stage } from '../train/run';
import type { PresetTiming } from '../train/sizeAdvice';
import type { EmbeddingMap } from '../predict/embeddings';
import type { LensResult } from '../predict/lens';
import type { InspectedStep } from '../train/inspectStep';
import { notice, noticeText, type Notice } from '../i18n';
import type { ExperimentEvent, ExperimentRequest } from './experimentProtocol';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(s: string | null | undefined): s is BackendName {
  return !!s && (BACKEND_ORDER as readonly string[]).includes(s);
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** True for software implementations (SwiftShader and the like): correct but slow. */
  isSoftware: boolean;
}

export interface BackendReport {
  /** The backend that runs. */
  name: BackendName;
  /** What to show a person, e.g. "WebGPU — NVIDIA ampere" or "wasm — 4 threads". */
  label: string;
  /** The same, to be said in the person's language. */
  labelNotice?: Notice;
  /** The GPU adapter (webgpu) or renderer (webgl), when there is one. */
  adapter?: AdapterInfo;
  /** wasm only: threads in use (1 unless the page is cross-origin isolated). */
  threads?: number;
  /** Why each backend before the chosen one was not used. */
  skipped: { name: BackendName; reason: string; notice?: Notice }[];
  /** What was asked for ('auto' = try the best first). */
  requested: BackendName | 'auto';
}

/** "wasm (CPU) — 2 threads", "wasm (CPU) — 1 thread: a helper stopped" (why: "isolation", a reason, or ""). */
export function wasmLabel(threads: number, why = ''): { label: string; labelNotice: Notice } {
  const labelNotice = notice('lblWasm', { threads, why });
  return { label: noticeText('en', labelNotice), labelNotice };
}

/** The report after Folio's matMul threads stopped mid-session: one thread, and why. */
export function withThreadsLost(report: BackendReport, reason: string): BackendReport {
  if (report.name !== 'wasm') return report;
  return { ...report, threads: 1, ...wasmLabel(1, reason) };
}

export type { CorpusInput, SavedHistory, SessionConfig } from '../train/run';
import type { SavedHistory, SessionConfig } from '../train/run';

export type RunState = 'idle' | 'running' | 'paused' | 'done';

/** A checkpoint as plain data: the tfjs model.json object and the weights' bytes. */
export interface CheckpointFiles {
  json: string;
  weights: ArrayBuffer;
}

/** Where the worker autosaves (IndexedDB, through tfjs's `indexeddb://` handler). */
export const AUTOSAVE_KEY = 'folio-autosave';

export type SaveTarget = { kind: 'indexeddb'; key: string } | { kind: 'export' };
/**
 * `session` is used when the checkpoint does not carry its own (checkpoints written by
 * the CLI hold only the model and tokenizer): it supplies the corpus text and run settings.
 */
export type LoadSource = ({ kind: 'indexeddb'; key: string; session?: SessionConfig } | { kind: 'files'; files: CheckpointFiles; session?: SessionConfig }) & {
  /** Go on with this peak learning rate instead of the saved one (a run's fork, see state/runCommands.ts). */
  learningRate?: number;
  /** A fork: its schedule starts again at the checkpoint's step and decays over this many steps. */
  forkSteps?: number;
};

// ---------------------------------------------------------------------------------
// Page → worker

export type ToWorker =
  /** Pick the backend (once, before anything else). */
  | { type: 'init'; backend: BackendName | 'auto' }
  /** Build tokenizer, data and a fresh model. The old model stays if this fails. */
  | {
      type: 'configure';
      config: SessionConfig;
      /** A file's raw bytes: decoded and checked in the worker (replaces config.corpus.text). */
      corpusBytes?: ArrayBuffer;
    }
  /**
   * Would this text make a corpus (decoded, checked, tokenized, split)? Answered with
   * `corpusChecked`; nothing changes. Lets the page refuse a bad file before it asks
   * "replace your model?", and keeps big texts off the page's thread.
   */
  | { type: 'checkCorpus'; requestId: number; bytes: ArrayBuffer; tokenizer: TokenizerConfig; blockSize: number }
  /** Change the run's length; a finished run can go on. */
  | { type: 'target'; steps: number }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Run exactly `count` steps (default 1) and pause. */
  | { type: 'step'; count?: number }
  /** Fresh random weights, same configuration (optionally another peak learning rate); step back to 0. */
  | { type: 'reset'; learningRate?: number; /** the run's length: the cosine decays over it */ decaySteps?: number }
  | { type: 'predict'; requestId: number; prompt: string; topTokens?: number; topWords?: number; track?: string }
  | { type: 'attention'; requestId: number; prompt: string }
  | { type: 'generate'; requestId: number; prompt: string; sample: SampleConfig }
  | { type: 'save'; requestId: number; target: SaveTarget }
  | { type: 'load'; requestId: number; source: LoadSource }
  /**
   * Fine-tune the live model for `steps` steps: instruction tuning on examples, or DPO or
   * RLHF on preference pairs (text; the worker encodes them). A frozen copy of the model
   * as it is now becomes the stage's reference.
   */
  | { type: 'tune'; method: TuneMethod; steps: number; beta?: number; examples?: SftRecord[]; pairs?: PreferenceRecord[] }
  /** Two samples from the current model after `prompt`, for the person to compare. */
  | { type: 'samplePair'; requestId: number; prompt: string; tokens: number; seed: number }
  /** The ranked next words of the reference model (the "before" of a fine-tuning stage). */
  | { type: 'predictReference'; requestId: number; prompt: string }
  /** The person's ratings, kept with the model (autosave, export). */
  | { type: 'feedback'; ratings: Rating[] }
  /** Inside the model: an embedding map, a logit lens, one inspected step (worker/inside.ts). */
  | { type: 'inside'; requestId: number; ask: InsideAsk }
  /** Report tf.memory() (the leak checks of the tests). */
  | { type: 'memory'; requestId: number }
  /** Time a few steps of each preset on this backend for the suggested size (worker/sizeProbe.ts). */
  | { type: 'probeSizes'; requestId: number; budgetMs: number }
  /** dna/bow: the "bow" sentences read by the bundled bow model (its files, sent once), see bowModel.ts. */
  | { type: 'bowView'; requestId: number; files: CheckpointFiles; sentences: string[] }
  /** The backend race and the size sweep (experimentProtocol.ts). */
  | { type: 'experiment'; request: ExperimentRequest };

// ---------------------------------------------------------------------------------
// Worker → page

export interface ModelSummary {
  config: SizedModelConfig;
  train: TrainConfig;
  paramCount: number;
  vocabSize: number;
  tokenizer: TokenizerConfig['kind'];
  corpusName: string;
  /** Characters in the corpus. */
  corpusChars: number;
  /** The corpus's first tokens, as text, to show how the tokenizer cuts it. */
  snippet: string[];
  trainTokens: number;
  valTokens: number;
  /** Steps already trained (non-zero after loading a checkpoint). */
  step: number;
  targetSteps: number;
  /** dna: a k-mer tokenizer's bases per token and whether its tokens overlap. */
  kmer?: { k: number; overlap: boolean };
}

export type FromWorker =
  | { type: 'backend'; backend: BackendReport }
  | { type: 'ready'; backend: BackendReport; model: ModelSummary }
  | {
      type: 'progress';
      state: RunState;
      /** What the run trains: pre-training, or a fine-tuning stage. */
      stage: 'pretrain' | TuneMethod;
      step: number;
      targetSteps: number;
      /** Loss points since the previous progress message. */
      losses: LossPoint[];
      tokensPerSec: number;
      lr: number;
      /** Training time so far (paused time excluded). */
      elapsedMs: number;
    }
  | { type: 'eval'; result: EvalResult }
  | { type: 'sample'; step: number; prompt: string; text: string }
  | { type: 'prediction'; requestId: number; prompt: string; step: number; prediction: Prediction }
  | { type: 'attention'; requestId: number; tokens: string[]; maps: number[][][][] }
  | { type: 'generated'; requestId: number; token: GeneratedToken | null; done: boolean }
  | { type: 'saved'; requestId: number; files?: CheckpointFiles; step: number }
  /** After `ready`: a loaded model's run history, so the page's curves match its step; its stages and ratings. */
  | { type: 'loaded'; requestId: number; model: ModelSummary; history?: SavedHistory; stages?: Stage[]; ratings?: Rating[] }
  | { type: 'memory'; requestId: number; numTensors: number; numBytes: number }
  /** Measured ms/step per preset, smallest first (empty when training was running). */
  | { type: 'sizeProbe'; requestId: number; timings: PresetTiming[] }
  /** The session was saved to the browser's storage (autosave), at this step. */
  | { type: 'autosaved'; key: string; step: number; corpusName: string }
  /** Long work in progress (a tokenizer being built): the worker is alive, and how far it got. */
  | { type: 'busy'; what: 'tokenizer'; done: number; total: number }
  | { type: 'samplePair'; requestId: number; prompt: string; a: string; b: string }
  | { type: 'referencePrediction'; requestId: number; prompt: string; prediction: Prediction | null }
  /** Fine-tuning metrics since the last report, and the stages the model has been through. */
  | { type: 'tuneProgress'; method: TuneMethod; metrics: TuneMetrics[]; stages: Stage[] }
  | { type: 'inside'; requestId: number; answer: InsideAnswer }
  /** dna/bow: what each "bow" sentence attends to and what the bow model says comes next. */
  | { type: 'bowView'; requestId: number; views: SentenceView[] }
  /** The backend race and the size sweep: their progress and results (experimentProtocol.ts). */
  | { type: 'experiment'; event: ExperimentEvent }
  | { type: 'corpusChecked'; requestId: number; ok: true; chars: number }
  | { type: 'corpusChecked'; requestId: number; ok: false; notice: Notice; message: string }
  | {
      type: 'error';
      /** What to tell the person, rendered by the page in its language. */
      notice: Notice;
      /** The same in English, for logs and tests. */
      message: string;
      /** Which request failed, when it was one. */
      requestId?: number;
      /** What failed, so the page can show the message in the right place. */
      scope: 'backend' | 'configure' | 'train' | 'predict' | 'generate' | 'checkpoint' | 'worker';
    };

// Inside the model (issue 16): what the page asks and what the worker answers.
export type InsideAsk =
  /** The token embeddings on a 2-D map (at most `max` tokens, the most frequent). */
  | { kind: 'embeddings'; max?: number }
  /** Each layer's best guesses for the token after `prompt`. */
  | { kind: 'lens'; prompt: string }
  /** One step of backpropagation on a copy of the model: `prompt` → `word`. `fresh`: copy the model again first. */
  | { kind: 'backprop'; prompt: string; word: string; lr?: number; fresh?: boolean }
  /** Drop the copy (the view closed); answered with nothing. */
  | { kind: 'release' };
export type InsideAnswer =
  | { kind: 'embeddings'; step: number; map: EmbeddingMap }
  | { kind: 'lens'; step: number; prompt: string; lens: LensResult }
  | { kind: 'backprop'; prompt: string; word: string; tokens: string[]; result: InspectedStep };

type ErrorScope = Extract<FromWorker, { type: 'error' }>['scope'];

/** An `error` message for a notice (with its English text). */
export function errorMessage(scope: ErrorScope, notice: Notice, requestId?: number): FromWorker {
  return { type: 'error', scope, notice, message: noticeText('en', notice), ...(requestId !== undefined ? { requestId } : {}) };
}

/** Where the page shows the failure of a message of this kind. */
export function errorScopeOf(msg: ToWorker): ErrorScope {
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
    case 'samplePair':
    case 'predictReference':
    case 'feedback':
    case 'probeSizes':
      return 'predict';
    case 'generate':
      return 'generate';
    default:
      return 'train';
  }
}

/** Compile-time exhaustiveness: a forgotten message type is a type error here. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(x)}`);
}
