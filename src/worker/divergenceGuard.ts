/**
 * Guards a run against divergence: a NaN or infinite loss, or one far worse than guessing
 * (a learning rate of 10 sends the loss to ~2,000 and keeps it finite). It keeps a copy of
 * the weights to fall back on: a copy taken after step k is "good" once the loss of step
 * k+1, computed with exactly those weights, came back fine.
 */
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from '../train/snapshot';
import type { LossPoint, Trainer } from '../train/trainer';
import { notice, type Notice } from '../i18n';

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

/** What the person reads when the guard fired: the loss, guessing's loss (ln V), where the weights went back to. */
export function divergenceNotice(bad: LossPoint, vocabSize: number, backTo: number, learningRate: number): Notice {
  return notice('diverged', { loss: bad.loss, uniform: Math.log(vocabSize), step: bad.step, back: backTo, lr: learningRate });
}
