/**
 * Rewind's keeper (issue 27): the snapshots of the live model's run — taken by the run loop
 * at the planned steps (train/rewindPlan.ts: 0, 10, 20, 30, 50, …, and where a run stops),
 * kept within the budget, written to the browser's storage beside each autosave (their own
 * entry, `<autosave key>-rewind`, only when they changed), read back with a save or with
 * files that carry them, and carried into an export when asked. The page hears of every
 * change as a `snapshots` event.
 *
 * A model that continues the live one (a fine-tuning stage, the same save restored after a
 * failure) keeps its run's snapshots; any other new model starts with none (or with those
 * its checkpoint brought). Taking a snapshot only reads the live weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { readRewindArtifacts, rewindArtifacts, splitRewind, withRewind, type StoredSnapshot } from '../checkpoint/rewindFiles';
import type { LoadedCheckpoint } from '../checkpoint/checkpoint';
import { notice } from '../i18n';
import { isPlannedStep, REWIND_BUDGET_BYTES, snapshotBytes, snapshotLimit } from '../train/rewindPlan';
import { readWeights, RewindSet, snapshotOf } from '../train/rewindSet';
import type { Live } from './live';
import { storageHandler } from './modelIO';
import { errorEvent, type CheckpointFiles, type FromWorker, type LoadSource } from './protocol';

export interface KeeperDeps {
  post: (msg: FromWorker) => void;
  /** The autosave's key: the snapshots are stored under `<key>-rewind` (none: kept in memory only). */
  key?: string;
  storage?: (key: string) => tf.io.IOHandler;
}

const sizeOf = (live: Live) => live.model.named.reduce((n, p) => n + p.variable.size, 0);
export const rewindKey = (key: string) => `${key}-rewind`;

export class RewindKeeper {
  private set?: RewindSet;
  /** The live model the set belongs to (by id: a tuned model gets a new id and keeps the set). */
  private owner?: string;
  private stored = -1;
  private warnedFull = false;

  constructor(private readonly deps: KeeperDeps) {}

  /** The snapshots of this model's run (undefined: another model's). */
  setOf(live: Live): RewindSet | undefined {
    return this.owner === live.id ? this.set : undefined;
  }

  /**
   * A model became live: it continues the run (its parent's snapshots, none after its step),
   * brings its own (`brought`: read from its checkpoint), or starts with none.
   */
  modelChanged(next: Live, brought?: StoredSnapshot[]): void {
    const step = next.trainer.step;
    const size = sizeOf(next);
    const continues = this.set && next.parentId !== undefined && next.parentId === this.owner && this.set.latest()?.weights.length === size;
    if (brought?.length) {
      const mine = brought.filter((s) => s.step <= step && s.weights.length === size).map((s) => snapshotOf(s.step, s.weights));
      this.set = new RewindSet(snapshotLimit(next.model.config), mine);
      this.stored = this.set.version; // as stored: nothing new to write
    } else if (continues) {
      this.set!.truncateAfter(step);
    } else {
      this.set = new RewindSet(snapshotLimit(next.model.config));
      this.stored = -1;
    }
    this.owner = next.id;
    this.announce(next);
  }

  /**
   * After a training step (and before the first): take the snapshot the plan asks for —
   * the first of the run, a planned step, or where the run stops (`stopping`).
   */
  async afterStep(live: Live, stopping: boolean): Promise<void> {
    const set = this.setOf(live);
    if (!set) return;
    const step = live.trainer.step;
    // The weights went back (a roll-back after a diverged loss): the snapshots after them are of a path not taken.
    if ((set.latest()?.step ?? -1) > step) {
      set.truncateAfter(step);
      this.announce(live);
    }
    const has = set.at(step) !== undefined;
    if (has || !(set.snapshots.length === 0 || isPlannedStep(step) || stopping)) return;
    const weights = await readWeights(live.model);
    if (this.setOf(live) !== set) return; // the model changed meanwhile
    set.add(snapshotOf(step, weights));
    this.announce(live);
  }

  /** Tell the page which snapshots there are. */
  announce(live: Live): void {
    const set = this.setOf(live);
    if (!set) return;
    const bytesEach = snapshotBytes(live.model.config);
    this.deps.post({ type: 'snapshots', modelId: live.id, steps: set.steps, bytes: set.bytes, bytesEach, limit: set.limit, budgetBytes: REWIND_BUDGET_BYTES });
  }

  /** Write the snapshots beside the autosave, when they changed since last written. Never throws. */
  async persist(live: Live): Promise<void> {
    const set = this.setOf(live);
    const key = this.deps.key;
    if (!set || !key || set.version === this.stored || set.snapshots.length === 0) return;
    const version = set.version;
    try {
      const handler = storageHandler(rewindKey(key), this.deps.storage);
      await handler.save!(rewindArtifacts(set.snapshots, live.id));
      this.stored = version;
      this.warnedFull = false;
    } catch {
      // The model's own save went through; the past is worth less than the present: say it once.
      if (!this.warnedFull) this.deps.post(errorEvent('checkpoint', notice('rewindNotStored')));
      this.warnedFull = true;
    }
  }

  /**
   * The snapshots a checkpoint brings: files that carry them, or the entry beside a save in
   * the browser's storage (only when it belongs to that save's model). Never throws.
   */
  async read(source: LoadSource, loaded: LoadedCheckpoint): Promise<StoredSnapshot[] | undefined> {
    const size = loaded.model.named.reduce((n, p) => n + p.variable.size, 0);
    try {
      if (source.kind === 'files') return splitRewind(source.files, size).snapshots;
      const a = await storageHandler(rewindKey(source.key), this.deps.storage).load!();
      const stored = readRewindArtifacts(a, size);
      const savedAs = loaded.meta.extra?.modelId;
      return stored && savedAs !== undefined && stored.modelId === savedAs ? stored.snapshots : undefined;
    } catch {
      return undefined; // none stored (a fork's checkpoint, a first visit)
    }
  }

  /** Checkpoint files with this run's snapshots in them. */
  exportWith(files: CheckpointFiles, live: Live): CheckpointFiles {
    const set = this.setOf(live);
    return set ? withRewind(files, set.snapshots) : files;
  }
}
