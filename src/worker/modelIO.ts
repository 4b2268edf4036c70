/**
 * Between the live model and checkpoints: what a save holds (weights, optimizer, the
 * session's settings and corpus, the run's history) and how a loaded checkpoint becomes a
 * live model again. The session decides when; this module knows how.
 */
import * as tf from '@tensorflow/tfjs';
import {
  filesToArtifacts,
  loadCheckpoint,
  memoryFilesHandler,
  saveCheckpoint,
  type CheckpointExtra,
  type LoadedCheckpoint,
  type SaveInput,
} from '../checkpoint/checkpoint';
import { withLearningRate } from '../config';
import { splitTokens } from '../data/dataset';
import { disposeGPT } from '../model/gpt';
import { Trainer } from '../train/trainer';
import { ConfigureError, type Live } from './live';
import { notice } from '../i18n';
import { transferring, type CheckpointFiles, type LoadSource, type SaveTarget, type SavedHistory, type SessionConfig } from './protocol';

/** Where `indexeddb` saves and loads go: tfjs's IndexedDB handler, unless a test supplies one. */
export function storageHandler(key: string, custom?: (key: string) => tf.io.IOHandler): tf.io.IOHandler {
  if (custom) return custom(key);
  const [h] = tf.io.getSaveHandlers(`indexeddb://${key}`);
  if (!h) throw new ConfigureError(notice('noIndexedDb'));
  return h;
}

/** What a save keeps besides the model and its run: the stages, the person's ratings, the model's id. */
export type SaveExtras = Pick<CheckpointExtra, 'stages' | 'ratings' | 'modelId'>;

/** Everything a save of the live session holds. */
export function checkpointInput(live: Live, history: SavedHistory, extras: SaveExtras = {}): SaveInput {
  return {
    model: live.model,
    tokenizer: live.tokenizer,
    train: live.trainer.cfg,
    step: live.trainer.step,
    optimizer: live.trainer.optimizer,
    extra: { session: live.config, elapsedMs: history.elapsedMs, history, ...extras },
  };
}

/** Save to memory: the files a download or a backend failover needs. */
export async function saveToFiles(live: Live, history: SavedHistory, extras: SaveExtras = {}): Promise<CheckpointFiles> {
  const memory = memoryFilesHandler();
  await saveCheckpoint(memory, checkpointInput(live, history, extras));
  return memory.files!;
}

/** Save files (made by saveToFiles) to the browser's storage. */
export async function storeFiles(handler: tf.io.IOHandler, files: CheckpointFiles): Promise<void> {
  await handler.save!(filesToArtifacts(files));
}

/** Read a checkpoint from files or storage; throws before anything is touched. */
export function readCheckpoint(source: LoadSource, custom?: (key: string) => tf.io.IOHandler): Promise<LoadedCheckpoint> {
  return loadCheckpoint(source.kind === 'files' ? memoryFilesHandler(source.files) : storageHandler(source.key, custom));
}

/** Read the files of an earlier save. */
export function readFiles(files: CheckpointFiles): Promise<LoadedCheckpoint> {
  return loadCheckpoint(memoryFilesHandler(files));
}

/**
 * A loaded checkpoint as a live model, with its history. `fallback` supplies the corpus
 * and run settings when the checkpoint has none (the CLI's). The checkpoint's optimizer
 * tensors are freed either way, and its model too if this fails.
 */
export function liveFromCheckpoint(
  loaded: LoadedCheckpoint,
  fallback?: SessionConfig,
  learningRate?: number,
  forkSteps?: number,
): { live: Omit<Live, 'id' | 'parentId' | 'origin'>; history?: SavedHistory; extras: SaveExtras } {
  try {
    if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate)))
      throw new ConfigureError(notice('lrInvalid', { got: String(learningRate) }));
    const own = loaded.meta.extra?.session;
    const given = own ?? (fallback && { ...fallback, model: { ...loaded.model.config } });
    // A fork goes on with another peak learning rate, on a schedule of its own that starts
    // at the checkpoint's step (the parent's had reached its floor: a new peak would not show).
    const peaked = learningRate === undefined ? loaded.meta.train : withLearningRate(loaded.meta.train, learningRate);
    const forked = forkSteps !== undefined && Number.isInteger(forkSteps) && forkSteps > 0;
    const train = forked ? { ...peaked, scheduleFrom: loaded.meta.step, decaySteps: Math.max(forkSteps, peaked.warmupSteps + 1) } : peaked;
    // A run planned shorter than the steps already trained is simply finished ("600 / 600", not "600 / 400").
    const config = given && {
      ...given,
      train: learningRate === undefined && !forked ? given.train : train,
      targetSteps: Math.max(given.targetSteps, loaded.meta.step),
    };
    if (!config?.corpus?.text) throw new ConfigureError(notice('ckptNoCorpus'));
    const data = splitTokens(loaded.tokenizer.encode(config.corpus.text), loaded.model.config.blockSize);
    const trainer = new Trainer(loaded.model, data, train, loaded.meta.step);
    if (loaded.optimizerState) trainer.optimizer.loadState(loaded.meta.optimizerStep, loaded.optimizerState);
    const history = loaded.meta.extra?.history;
    const { stages, ratings } = loaded.meta.extra ?? {};
    const extras: SaveExtras = { ...(stages ? { stages } : {}), ...(ratings ? { ratings } : {}) };
    return { live: { config, tokenizer: loaded.tokenizer, data, model: loaded.model, trainer }, ...(history ? { history } : {}), extras };
  } catch (e) {
    disposeGPT(loaded.model);
    throw e;
  } finally {
    for (const t of Object.values(loaded.optimizerState ?? {})) t.dispose();
  }
}

/** Save the live model: to files for a download (the weights handed over, not copied), or to the browser's storage. */
export async function saveLive(
  live: Live,
  target: SaveTarget,
  history: SavedHistory,
  extras: SaveExtras,
  custom?: (key: string) => tf.io.IOHandler,
): Promise<{ modelId: string; step: number; files?: CheckpointFiles }> {
  const step = live.trainer.step;
  if (target.kind === 'export') {
    const files = await saveToFiles(live, history, extras);
    return transferring({ modelId: live.id, step, files }, [files.weights]);
  }
  await saveCheckpoint(storageHandler(target.key, custom), checkpointInput(live, history, extras));
  return { modelId: live.id, step };
}
