/**
 * Autosave: the session saved every AUTOSAVE_MS of training and whenever training stops,
 * first to memory (what a failed backend resumes from), then to the browser's storage
 * (what a reload offers to resume). A full disk is said once per failure and never stops
 * training. Without a key nothing is saved (the CLI, most tests).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Live } from './live';
import { saveToFiles, storageHandler, storeFiles, type SaveExtras } from './modelIO';
import { errorEvent, type CheckpointFiles, type FromWorker, type SavedHistory } from './protocol';
import { notice, noticeOf } from '../i18n';

/** Autosave at most this often while training (and always when training stops). */
export const AUTOSAVE_MS = 10_000;

export interface AutosaveDeps {
  post: (msg: FromWorker) => void;
  now: () => number;
  key?: string;
  storage?: (key: string) => tf.io.IOHandler;
  /** The stages, ratings and model id to save with the model. */
  extras?: () => SaveExtras;
  /** After the model is stored: what is kept beside it (rewind's snapshots, rewindKeeper.ts). */
  afterStore?: (live: Live) => Promise<void>;
}

export class Autosave {
  /** The newest save as files, in memory, and its step. */
  lastSaved?: { files: CheckpointFiles; step: number };
  private lastAt = -Infinity;

  constructor(private readonly deps: AutosaveDeps) {}

  /** Whether a save is due while training goes on. */
  due(): boolean {
    return this.deps.now() - this.lastAt >= AUTOSAVE_MS;
  }

  /** Save now. Never throws: failures become messages. */
  async save(live: Live, history: SavedHistory, extras: SaveExtras = this.deps.extras?.() ?? {}): Promise<void> {
    const key = this.deps.key;
    if (!key) return;
    this.lastAt = this.deps.now();
    const step = live.trainer.step;
    try {
      this.lastSaved = { files: await saveToFiles(live, history, extras), step };
    } catch (e) {
      this.deps.post(errorEvent('checkpoint', notice('saveFailed', { reason: noticeOf(e) })));
      return;
    }
    try {
      await storeFiles(storageHandler(key, this.deps.storage), this.lastSaved.files);
      const totalSteps = (extras.stages ?? []).reduce((n, s) => n + s.steps, 0) || step;
      this.deps.post({ type: 'autosaved', modelId: live.id, key, step, totalSteps, corpusName: live.config.corpus.name });
    } catch (e) {
      const full = e instanceof Error && (e.name === 'QuotaExceededError' || /quota/i.test(e.message));
      this.deps.post(errorEvent('checkpoint', full ? notice('storageFull') : notice('storeFailed', { reason: noticeOf(e) })));
      return;
    }
    await this.deps.afterStore?.(live);
  }
}
