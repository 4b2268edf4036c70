/**
 * The run loop: a job's steps, one at a time, with the states a person sees (idle,
 * running, paused, done), "step N", progress at most 20 times a second with only the new
 * loss points, the run's elapsed time and history, and between steps: the divergence
 * guard, autosave and the questions waiting. It yields to the event loop after each step,
 * so a pause or a prediction request is seen within one step.
 */
import { TrainError, type Live } from './live';
import { DivergenceGuard, divergenceNotice } from './divergenceGuard';
import { notice, noticeOf } from '../i18n';
import type { Autosave } from './autosave';
import type { Job, JobContext } from './job';
import type { QuestionQueue } from './questions';
import { errorEvent, type FromWorker, type RunState, type SavedHistory } from './protocol';
import type { LossPoint } from '../train/trainer';
import { scheduleOf } from '../train/schedule';

/** Progress messages are throttled to this interval (≤ 20 per second). */
export const PROGRESS_INTERVAL_MS = 50;
/** Losses are read back at least this often even when `logEvery` steps take longer. */
export const READ_INTERVAL_MS = 250;

export interface RunLoopDeps {
  post: (msg: FromWorker) => void;
  now: () => number;
  yieldToEvents: () => Promise<void>;
  /** The session's live model (undefined while a failed backend is replaced). */
  live: () => Live | undefined;
  /** Every step the model has trained, all its stages together. */
  totalSteps: (live: Live) => number;
  /** The job that trains this model (pre-training, for now). */
  jobFor: (live: Live, ctx: JobContext) => Job;
  guard: DivergenceGuard;
  autosave: Autosave;
  questions: QuestionQueue;
  /** The guard fired with no verified weights to go back to: the session starts a fresh model. */
  freshModel: (live: Live) => void;
  /** Rewind's snapshots (rewindKeeper.ts): taken before a pre-training run's first step, at planned steps, and where it stops. */
  rewind?: { afterStep(live: Live, stopping: boolean): Promise<void> };
}

const emptyHistory = (): SavedHistory => ({ losses: [], evals: [], samples: [], elapsedMs: 0 });

export class RunLoop {
  state: RunState = 'idle';
  /** The person asked to train and has not paused (a crash of the loop does not change this). */
  wantsToRun = false;
  /** Set by "step N": pause when the job reaches this step. */
  private stopAt?: number;
  private done?: Promise<void>;
  /** The job of the current or last run (pre-training unless another was started). */
  private job?: Job;
  private unsent: LossPoint[] = [];
  private lastProgress = -Infinity;
  private lastRead = -Infinity;
  private elapsedMs = 0;
  private runningSince?: number;
  /** The run so far, for autosaves (the page gets it as deltas). */
  private history: SavedHistory = emptyHistory();

  constructor(private readonly deps: RunLoopDeps) {}

  /** Whether a loop is going (it serves questions itself between steps). */
  get looping(): boolean {
    return this.done !== undefined;
  }

  /** The history with the elapsed time so far, for a save. */
  savedHistory(): SavedHistory {
    return { ...this.history, elapsedMs: this.elapsedNow() };
  }

  /** A new live model: nothing runs; the history is the checkpoint's, or empty. */
  reset(history?: SavedHistory): void {
    this.state = 'idle';
    this.stopAt = undefined;
    this.unsent = [];
    this.runningSince = undefined;
    this.history = history ? { ...history, losses: [...history.losses], evals: [...history.evals], samples: [...history.samples] } : emptyHistory();
    this.job = undefined;
    this.elapsedMs = this.history.elapsedMs;
    this.deps.guard.clear();
  }

  /** Train until the target (start, resume); a fine-tuning job that was paused goes on. */
  start(live: Live): void {
    const unfinished = this.job && this.job.kind !== 'pretrain' && this.job.live === live && this.job.step < this.job.target ? this.job : undefined;
    if (unfinished) return this.startJob(unfinished);
    this.job = undefined;
    if (live.trainer.step >= live.config.targetSteps) throw this.atTarget(live);
    this.stopAt = undefined;
    this.state = 'running';
    this.wantsToRun = true;
    this.startLoop();
  }

  /** Run another kind of job (fine-tuning) until its target. */
  startJob(job: Job): void {
    this.job = job;
    this.stopAt = undefined;
    this.state = 'running';
    this.wantsToRun = true;
    this.startLoop();
  }

  /** Run `count` more steps, then pause (counted from where a running step-run would stop). */
  stepN(live: Live, count: number): void {
    this.job = undefined;
    const from = this.state === 'running' && this.stopAt !== undefined ? this.stopAt : live.trainer.step;
    this.stopAt = Math.min(from + Math.max(1, Math.floor(count)), live.config.targetSteps);
    if (this.stopAt <= live.trainer.step) throw this.atTarget(live);
    this.state = 'running';
    this.wantsToRun = true;
    this.startLoop();
  }

  pause(): void {
    this.wantsToRun = false;
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.stopAt = undefined;
  }

  /** Pause and wait until the loop has left the model alone. */
  async stop(): Promise<void> {
    this.pause();
    await this.done;
  }

  /** The backend died under the loop: do not wait for it (it may never return); it stops by itself. */
  abandon(): void {
    this.done = undefined;
    this.state = 'paused';
  }

  /** Change the run's length; a finished run can go on. */
  setTarget(live: Live, steps: number): void {
    if (!Number.isInteger(steps) || steps < 1) throw new TrainError(notice('stepsInvalid', { got: String(steps) }));
    live.config = { ...live.config, targetSteps: steps };
    if (this.state === 'done' && steps > live.trainer.step) this.state = 'paused';
    if (this.state === 'running' && steps <= live.trainer.step) this.pause();
    this.postProgress(true);
  }

  postProgress(force: boolean, stepMsEstimate?: number): void {
    const t = this.deps.now();
    if (!force && t - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    const live = this.deps.live();
    if (!live) return;
    this.lastProgress = t;
    const losses = this.unsent;
    this.unsent = [];
    const j = this.job;
    this.deps.post({
      type: 'progress',
      modelId: live.id,
      state: this.state,
      stage: j?.kind ?? 'pretrain',
      step: j ? j.step : live.trainer.step,
      targetSteps: j ? j.target : live.config.targetSteps,
      losses,
      totalSteps: this.deps.totalSteps(live),
      tokensPerSec: j ? j.tokensPerSec : live.trainer.tokensPerSec,
      lr: j ? j.lr : live.trainer.lr,
      schedule: scheduleOf(live.trainer.cfg),
      elapsedMs: this.elapsedNow(),
      ...(stepMsEstimate !== undefined ? { stepMsEstimate } : {}),
    });
  }

  private atTarget(live: Live): TrainError {
    return new TrainError(notice('atTarget', { target: live.config.targetSteps }));
  }

  private elapsedNow(): number {
    return this.elapsedMs + (this.runningSince !== undefined ? this.deps.now() - this.runningSince : 0);
  }

  private accountTime(): void {
    if (this.runningSince !== undefined) {
      this.elapsedMs += this.deps.now() - this.runningSince;
      this.runningSince = undefined;
    }
  }

  private record(losses: LossPoint[]): void {
    this.unsent.push(...losses);
    this.history.losses.push(...losses);
  }

  private startLoop(): void {
    if (this.done) return; // a loop is still winding down: it starts the next one when it ends (below)
    const live = this.deps.live();
    if (!live) return;
    const job = (this.job ??= this.deps.jobFor(live, { post: this.deps.post, history: this.history }));
    job.resetClock();
    this.runningSince = this.deps.now();
    this.postProgress(true); // "running" before the first step: the page's watchdog starts here
    const done: Promise<void> = this.loop(job).finally(() => {
      // A loop abandoned on a failed backend may end late: it must not clear its successor.
      if (this.done === done) this.done = undefined;
      // Another job was asked for while this one wound down ("Step" as a fine-tuning stage ends): run it now.
      if (!this.done && this.state === 'running' && this.job !== job) return this.startLoop();
      void this.deps.questions.serve(); // requests that arrived as the loop was ending
    });
    this.done = done;
  }

  private async loop(job: Job): Promise<void> {
    const owner = job.live;
    const current = () => this.deps.live() === owner;
    const { guard, autosave } = this.deps;
    try {
      // How long a step will take, before the first: a big model's first step can take minutes,
      // and the page's watchdog must not call that a stall (a tiny forward pass, timed).
      if (job.probeStepMs && current() && this.state === 'running') this.postProgress(true, job.probeStepMs());
      // Rewind's snapshots follow pre-training's steps (a fine-tuning stage counts its own).
      const rewind = job.kind === 'pretrain' ? this.deps.rewind : undefined;
      if (current()) await rewind?.afterStep(owner, false);
      // The loop runs its own job only: a new one asked for meanwhile gets a loop of its own.
      while (current() && this.state === 'running' && this.job === job) {
        await job.trainStep();
        const step = job.step;
        const reachedTarget = step >= job.target;
        // A pause that arrived during the step shows up as state ≠ running.
        const stopping = reachedTarget || (this.stopAt !== undefined && step >= this.stopAt) || this.state !== 'running';

        // Read losses every logEvery steps — or sooner when steps are slow, so a person
        // on a slow backend still sees the loss move (at most ~4 reads a second).
        if (step % job.logEvery === 0 || stopping || this.deps.now() - this.lastRead >= READ_INTERVAL_MS) {
          this.lastRead = this.deps.now();
          const losses = await job.readLosses();
          if (!current()) return; // the backend failed meanwhile and the run moved on
          const bad = DivergenceGuard.firstBad(losses, owner.model.config.vocabSize);
          if (bad) return this.diverged(owner, bad);
          if (job.report) job.report(losses);
          else this.record(losses);
          guard.remember(owner.trainer);
        }
        await job.afterStep(reachedTarget);
        if (reachedTarget) {
          this.state = 'done';
          this.wantsToRun = false;
        } else if (stopping) this.pause();
        if (stopping) this.accountTime();
        this.postProgress(stopping);
        await rewind?.afterStep(owner, stopping); // before the save, which stores the snapshots too
        if (stopping || autosave.due()) await autosave.save(owner, this.savedHistory());
        await this.deps.questions.serve();
        await this.deps.yieldToEvents();
      }
      // Paused by a message between steps: read the losses still on the device (the page
      // and the save must have every step), then save what was reached.
      if (current()) {
        const rest = await job.readLosses();
        if (job.report) job.report(rest);
        else this.record(rest);
        await rewind?.afterStep(owner, true);
        if (autosave.lastSaved?.step !== owner.trainer.step) await autosave.save(owner, this.savedHistory());
      }
    } catch (e) {
      this.deps.post(errorEvent('train', noticeOf(e)));
    } finally {
      // A loop abandoned on a failed backend must leave its successor's run alone.
      const now = this.deps.live();
      if (now === owner || now?.model === owner.model) {
        if (this.state === 'running' && this.job === job) this.state = 'paused';
        this.accountTime();
        this.postProgress(true);
      }
    }
  }

  /** A diverged loss: pause, go back to the last good weights, say what happened. */
  private diverged(live: Live, bad: LossPoint): void {
    this.pause();
    this.accountTime();
    const back = this.deps.guard.rollBack(live.trainer);
    if (back === undefined) this.deps.freshModel(live); // nothing verified yet: fresh weights are the last good ones
    const keep = (l: { step: number }) => l.step <= (back ?? 0);
    this.unsent = this.unsent.filter(keep);
    this.history.losses = this.history.losses.filter(keep);
    this.history.evals = this.history.evals.filter(keep);
    this.postProgress(true);
    throw new TrainError(divergenceNotice(bad, live.model.config.vocabSize, back ?? 0, live.trainer.cfg.learningRate));
  }
}
