/**
 * Checkpoints: everything needed to pick a run up again — model config, training
 * config, tokenizer, weights, AdamW moments and the step — in one tfjs `ModelArtifacts`.
 *
 * Going through tfjs's io handlers means the same code saves to files (Node, see
 * cli/fileHandler.ts), to IndexedDB (`indexeddb://…`) and to downloads in the browser.
 * Our metadata rides in `modelTopology`; weights are named "param/<name>",
 * "m/<name>", "v/<name>".
 *
 * Loading checks everything before touching anything: a corrupt or incompatible
 * checkpoint is an error with a clear message, and the caller's current model stays.
 */
import * as tf from '@tensorflow/tfjs';
import { validateModelConfig, type SizedModelConfig, type TrainConfig } from '../config';
import { createGPT, disposeGPT, type GPT } from '../model/gpt';
import { tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from '../tokenizer';
import { FolioError, notice, noticeOf, type Notice } from '../i18n';
import type { Rating, SavedHistory, SessionConfig, Stage } from '../train/run';

export const CHECKPOINT_FORMAT = 'folio-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  model: SizedModelConfig;
  train: TrainConfig;
  tokenizer: TokenizerJSON;
  /** Training steps completed. */
  step: number;
  /** AdamW's update count (usually equal to step). */
  optimizerStep: number;
  /** What else the saver kept (see CheckpointExtra); checked by `parseExtra` on load. */
  extra?: CheckpointExtra;
  savedAt: string;
}

/**
 * What a checkpoint may carry besides the model: the page's session (settings and corpus,
 * so training can resume), its run history and time, or — from the CLI — the corpus's
 * file name. Every field is optional; a damaged one is dropped on load, never trusted.
 */
export interface CheckpointExtra {
  session?: SessionConfig;
  history?: SavedHistory;
  elapsedMs?: number;
  /** The corpus file a CLI run trained on (its name only). */
  corpus?: string;
  /**
   * The training stages these weights went through, oldest first: pretraining, then each
   * fine-tuning stage with its steps and the weights id (tuning.ts `weightsId`) of the frozen
   * reference it was measured against.
   */
  stages?: CheckpointStage[];
  /** The person's ratings of sample pairs, kept with the model they rated. */
  ratings?: Rating[];
  /**
   * The id the worker gave the model these weights are (worker/live.ts): a model loaded from
   * this checkpoint names it as its parent, so the page can tell a resumed run from a new one.
   */
  modelId?: string;
}

export type CheckpointStage = Stage;
export type StageKind = Stage['kind'];
export const STAGE_KINDS: readonly StageKind[] = ['pretrain', 'sft', 'dpo', 'rlhf'];

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The parts of a checkpoint's extra data that have the right shape (the rest is dropped). */
export function parseExtra(x: unknown): CheckpointExtra | undefined {
  if (!isObj(x)) return undefined;
  const out: CheckpointExtra = {};
  const s = x.session;
  if (
    isObj(s) &&
    isObj(s.model) &&
    isObj(s.train) &&
    isObj(s.tokenizer) &&
    isObj(s.corpus) &&
    typeof s.corpus.name === 'string' &&
    typeof s.corpus.text === 'string' &&
    isNum(s.targetSteps)
  ) {
    out.session = s as unknown as SessionConfig;
  }
  const h = x.history;
  if (isObj(h) && Array.isArray(h.losses) && h.losses.every((l) => isObj(l) && isNum(l.step))) {
    out.history = {
      losses: h.losses as SavedHistory['losses'],
      evals: Array.isArray(h.evals) ? (h.evals as SavedHistory['evals']) : [],
      samples: Array.isArray(h.samples) ? (h.samples as SavedHistory['samples']) : [],
      elapsedMs: isNum(h.elapsedMs) ? h.elapsedMs : isNum(x.elapsedMs) ? x.elapsedMs : 0,
    };
  }
  if (isNum(x.elapsedMs)) out.elapsedMs = x.elapsedMs;
  if (typeof x.corpus === 'string') out.corpus = x.corpus;
  const st = x.stages;
  const isStage = (g: unknown): g is CheckpointStage =>
    isObj(g) &&
    (STAGE_KINDS as readonly unknown[]).includes(g.kind) &&
    isNum(g.steps) &&
    Number.isInteger(g.steps) &&
    g.steps >= 0 &&
    (g.reference === undefined || typeof g.reference === 'string');
  const isFormat = (f: unknown): f is NonNullable<CheckpointStage['format']> =>
    isObj(f) && ['before', 'after', 'lead', 'end'].every((k) => typeof f[k] === 'string');
  if (Array.isArray(st) && st.every(isStage)) {
    out.stages = st.map((g) => ({
      kind: g.kind,
      steps: g.steps,
      ...(g.reference !== undefined ? { reference: g.reference } : {}),
      ...(isFormat(g.format) ? { format: g.format } : {}), // a damaged format is dropped, the stage kept
    }));
  }
  const str = (v: unknown) => typeof v === 'string';
  const isRating = (r: unknown) =>
    isObj(r) && str(r.prompt) && ((str(r.chosen) && str(r.rejected)) || (Array.isArray(r.bad) && r.bad.length === 2 && r.bad.every(str)));
  if (Array.isArray(x.ratings) && x.ratings.every(isRating)) out.ratings = x.ratings as Rating[];
  if (typeof x.modelId === 'string' && /^[\w-]{1,64}$/.test(x.modelId)) out.modelId = x.modelId;
  return out;
}

/** A checkpoint that cannot be read or used; the notice says why, in the person's language. */
export class CheckpointError extends FolioError {
  override name = 'CheckpointError';
}

/** What a checkpoint keeps of the optimizer (AdamW's, in Folio): its update count and named state tensors. */
export interface OptimizerState {
  readonly t: number;
  stateTensors(): tf.NamedTensorMap;
}

export interface SaveInput {
  model: GPT;
  tokenizer: Tokenizer;
  train: TrainConfig;
  step: number;
  optimizer?: OptimizerState;
  extra?: CheckpointExtra;
}

export async function saveCheckpoint(handler: tf.io.IOHandler, s: SaveInput): Promise<tf.io.SaveResult> {
  if (!handler.save) throw new CheckpointError(notice('ckptCannotSave'));
  const tensors: tf.NamedTensorMap = {};
  for (const p of s.model.named) tensors[`param/${p.name}`] = p.variable;
  if (s.optimizer) Object.assign(tensors, s.optimizer.stateTensors());
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: { ...s.model.config },
    train: { ...s.train },
    tokenizer: s.tokenizer.toJSON(),
    step: s.step,
    optimizerStep: s.optimizer?.t ?? 0,
    ...(s.extra ? { extra: s.extra } : {}),
    savedAt: new Date().toISOString(),
  };
  return handler.save({
    modelTopology: meta as unknown as tf.io.ModelArtifacts['modelTopology'],
    format: CHECKPOINT_FORMAT,
    generatedBy: 'Folio',
    weightSpecs: specs,
    weightData: data,
  });
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  model: GPT;
  tokenizer: Tokenizer;
  /** AdamW moments by name ("m/…", "v/…"), or undefined if none were saved. Caller disposes. */
  optimizerState?: tf.NamedTensorMap;
}

/** Read and fully validate a checkpoint, then build a fresh model from it. */
export async function loadCheckpoint(handler: tf.io.IOHandler): Promise<LoadedCheckpoint> {
  if (!handler.load) throw new CheckpointError(notice('ckptCannotLoad'));
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (e) {
    throw new CheckpointError(notice('ckptUnreadable', { reason: noticeOf(e) })); // the files' own complaint inside
  }
  const meta = parseMeta(artifacts.modelTopology);
  let tokenizer: Tokenizer;
  try {
    tokenizer = tokenizerFromJSON(meta.tokenizer);
  } catch (e) {
    throw new CheckpointError(notice('ckptTokenizerDamaged', { reason: noticeOf(e) }));
  }
  if (tokenizer.vocabSize !== meta.model.vocabSize) {
    throw new CheckpointError(notice('ckptVocabMismatch', { tokens: tokenizer.vocabSize, expects: meta.model.vocabSize }));
  }
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new CheckpointError(notice('ckptNoWeights'));
  let weights: tf.NamedTensorMap;
  try {
    const buffer = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const expected = artifacts.weightSpecs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (buffer.byteLength < expected) throw new CheckpointError(notice('ckptWeightsTruncated', { got: buffer.byteLength, expected }));
    weights = tf.io.decodeWeights(buffer, artifacts.weightSpecs);
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(notice('ckptWeightsDamaged', { reason: noticeOf(e) }));
  }

  const model = createGPT(meta.model, 0);
  try {
    for (const p of model.named) {
      const w = weights[`param/${p.name}`];
      if (!w) throw new CheckpointError(notice('ckptMissingWeight', { name: p.name }));
      if (!sameShape(w.shape, p.variable.shape)) {
        throw new CheckpointError(notice('ckptWeightShape', { name: p.name, has: String(w.shape), needs: String(p.variable.shape) }));
      }
    }
    for (const p of model.named) p.variable.assign(weights[`param/${p.name}`]!);
    let optimizerState: tf.NamedTensorMap | undefined;
    const hasMoments = model.named.every((p) => weights[`m/${p.name}`] && weights[`v/${p.name}`]);
    if (hasMoments) {
      optimizerState = {};
      for (const p of model.named) {
        for (const k of [`m/${p.name}`, `v/${p.name}`]) {
          const t = weights[k]!;
          if (!sameShape(t.shape, p.variable.shape)) throw new CheckpointError(notice('ckptOptimizerShape', { name: k }));
          optimizerState[k] = t;
        }
      }
    }
    // Free everything we decoded except the optimizer moments handed to the caller.
    for (const [k, t] of Object.entries(weights)) if (!optimizerState?.[k]) t.dispose();
    return { meta, model, tokenizer, ...(optimizerState ? { optimizerState } : {}) };
  } catch (e) {
    disposeGPT(model);
    for (const t of Object.values(weights)) t.dispose();
    throw e;
  }
}

function parseMeta(topology: unknown): CheckpointMeta {
  const m = topology as Partial<CheckpointMeta> | null;
  if (!m || typeof m !== 'object' || m.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(notice('ckptNotFolio'));
  }
  if (m.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(notice('ckptVersion', { version: String(m.version), reads: CHECKPOINT_VERSION }));
  }
  if (!m.model || !m.train || !m.tokenizer || typeof m.step !== 'number') {
    throw new CheckpointError(notice('ckptIncomplete'));
  }
  const errs: (Notice | string)[] = validateModelConfig(m.model);
  if (!Number.isInteger(m.model.vocabSize) || m.model.vocabSize < 1) errs.push('vocabulary size is invalid');
  if (errs.length) throw new CheckpointError(notice('ckptInvalidModel', { reason: errs[0]! }));
  const extra = parseExtra(m.extra);
  return { ...(m as CheckpointMeta), ...(extra ? { extra } : {}) };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// ---------------------------------------------------------------------------------
// A checkpoint as two plain files (tfjs's usual layout): model.json + weights.bin.
// Used by the Node folder handler and by export/import in the browser.

export const WEIGHTS_FILE = 'weights.bin';

export interface ArtifactFiles {
  /** model.json: metadata and the weights manifest. */
  json: string;
  /** weights.bin: all weights, concatenated. */
  weights: ArrayBuffer;
}

export function artifactsToFiles(a: tf.io.ModelArtifacts): ArtifactFiles {
  const weights = a.weightData ? tf.io.CompositeArrayBuffer.join(a.weightData) : new ArrayBuffer(0);
  const json = JSON.stringify({
    format: a.format,
    generatedBy: a.generatedBy,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs ?? [] }],
  });
  return { json, weights };
}

export function filesToArtifacts(files: ArtifactFiles): tf.io.ModelArtifacts {
  let manifest: {
    format?: string;
    generatedBy?: string;
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  try {
    manifest = JSON.parse(files.json);
  } catch {
    throw new CheckpointError(notice('ckptJsonInvalid'));
  }
  const group = manifest?.weightsManifest?.[0];
  if (!group || !Array.isArray(group.weights)) throw new CheckpointError(notice('ckptNoWeightList'));
  return {
    modelTopology: manifest.modelTopology ?? {},
    weightSpecs: group.weights,
    weightData: files.weights,
    ...(manifest.format ? { format: manifest.format } : {}),
    ...(manifest.generatedBy ? { generatedBy: manifest.generatedBy } : {}),
  };
}

/** An io handler over in-memory files: save fills `files`, load reads them. */
export function memoryFilesHandler(initial?: ArtifactFiles): tf.io.IOHandler & { files?: ArtifactFiles } {
  const h: tf.io.IOHandler & { files?: ArtifactFiles } = {
    ...(initial ? { files: initial } : {}),
    async save(a) {
      h.files = artifactsToFiles(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: h.files.weights.byteLength } };
    },
    async load() {
      if (!h.files) throw new CheckpointError(notice('ckptNoFiles'));
      return filesToArtifacts(h.files);
    },
  };
  return h;
}
