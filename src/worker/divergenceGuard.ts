/**
 * Guards a run against divergence: a NaN or infinite loss, or one far worse than guessing
 * (a learning rate of 10 sends the loss to ~2,000 and keeps it finite). It keeps a copy of
 * the weights to fall back on: a copy taken after step k is "good" once the loss of step
 * k+1, computed with exactly those weights, came back fine.
 */
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from '../train/snapshot';
import type { LossPoint, Trainer } from '../train/trainer';

export class DivergenceGuard {
  /** Verified-good weights, and a newer candidate. */
  private good?: Snapshot;
  private candidate?: Snapshot;

  /** The first loss point that shows divergence, if any. `vocabSize` sets "far worse than guessing". */
  static firstBad(losses: readonly LossPoint[], vocabSize: number): LossPoint | undefined {
    const limit = 3 * Math.log(vocabSize) + 5;
    return losses.find((l) => !Number.isFinite(l.loss) || !Number.isFinite(l.gradNorm) || l.loss > limit);
  }

  /** After losses up to the trainer's step came back fine: promote the candidate, take a new one. */
  remember(trainer: Trainer): void {
    if (this.candidate && trainer.step > this.candidate.step) {
      disposeSnapshot(this.good);
      this.good = this.candidate;
      this.candidate = undefined;
    }
    if (!this.candidate) this.candidate = takeSnapshot(trainer);
  }

  /**
   * Put the last good weights back into `trainer`; the step they belong to, or undefined
   * when none is verified yet (the run failed in its first steps: start it afresh).
   */
  rollBack(trainer: Trainer): number | undefined {
    disposeSnapshot(this.candidate);
    this.candidate = undefined;
    if (!this.good) return undefined;
    restoreSnapshot(trainer, this.good);
    return this.good.step;
  }

  /** Forget every copy (a new model). */
  clear(): void {
    disposeSnapshot(this.good);
    disposeSnapshot(this.candidate);
    this.good = this.candidate = undefined;
  }
}

/** What the person reads when the guard fired. */
export function divergenceMessage(bad: LossPoint, vocabSize: number, backTo: number, learningRate: number): string {
  const uniform = Math.log(vocabSize);
  const what = Number.isFinite(bad.loss) ? `${Math.round(bad.loss).toLocaleString('en')} (guessing at random scores ${uniform.toFixed(1)})` : String(bad.loss);
  return (
    `The loss became ${what} at step ${bad.step}, so training paused and the weights went back to step ${backTo}, the last good ones. ` +
    `The learning rate (${learningRate}) is probably too high: lower it, then resume.`
  );
}
