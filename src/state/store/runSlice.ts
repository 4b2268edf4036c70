/**
 * The live model's training run as the page shows it: the run's state and counters, the
 * run the progress bar follows, its wall-clock pace, and the curves (train and val losses,
 * samples). All of it belongs to the live model (`modelId`): progress of another model is
 * dropped, and a new model brings its own history.
 */
import type { LrSchedule } from '../../train/schedule';
import type { TuneMethod } from '../../train/finetune/preference';
import type { EvalResult, LossPoint } from '../../train/trainer';
import type { Event, Events, RunState } from '../../worker/protocol';
import { addPaceSample, type PaceSample } from '../pace';
import type { Slice } from './makeStore';
import type { ModelSlice } from './modelSlice';

export interface RunView {
  state: RunState;
  /** What the run trains (a fine-tuning stage counts its own steps). */
  stage?: 'pretrain' | TuneMethod;
  step: number;
  targetSteps: number;
  tokensPerSec: number;
  lr: number;
  elapsedMs: number;
}

export interface RunSlice {
  run: RunView;
  /**
   * The run the progress bar follows: the step it started from, and whether it reached
   * its target. Undefined until training starts on this model (a loaded trained model
   * has steps behind it but no run on this page yet).
   */
  thisRun?: { from: number; finished: boolean };
  /** (time, step) samples of the run going on, for its wall-clock pace (pace.ts); empty when none runs. */
  pace: PaceSample[];
  losses: LossPoint[];
  evals: EvalResult[];
  samples: { step: number; text: string }[];
  progress: (p: Event<'progress'>) => void;
  evaluated: (e: Events['eval']) => void;
  sampled: (e: Events['sample']) => void;
}

export const initialRun: RunView = { state: 'idle', step: 0, targetSteps: 0, tokensPerSec: 0, lr: 0, elapsedMs: 0 };

type State = RunSlice & ModelSlice;
const mine = (s: State, modelId: string) => s.model?.id === modelId;

export const runSlice: Slice<RunSlice, State> = (set) => ({
  run: initialRun,
  pace: [],
  losses: [],
  evals: [],
  samples: [],
  progress: (p) =>
    set((s) => {
      if (!mine(s, p.modelId)) return {}; // a model that is no longer live
      const { type: _t, modelId: _m, losses: fresh, totalSteps, schedule, stepMsEstimate: _e, ...run } = p;
      const pretrain = (run.stage ?? 'pretrain') === 'pretrain';
      return {
        run,
        thisRun: nextRun(s, run),
        // Stopped, or the counter went back (a new run, a roll-back): the pace starts again.
        pace:
          run.state !== 'running' || run.step < s.run.step
            ? []
            : run.step === s.run.step && s.pace.length
              ? s.pace
              : addPaceSample(s.pace, { at: performance.now(), step: run.step }),
        // The worker went back to earlier weights (after a NaN): forget the steps after them.
        // (A fine-tuning stage counts its own steps: pre-training's curves stay.)
        losses: (pretrain && run.step < (s.losses.at(-1)?.step ?? 0) ? s.losses.filter((l) => l.step <= run.step) : s.losses).concat(fresh),
        evals: pretrain && run.step < (s.evals.at(-1)?.step ?? 0) ? s.evals.filter((e) => e.step <= run.step) : s.evals,
        // The model's true step count, and its schedule's peak (a resume may change it), follow the worker.
        model:
          s.model && (s.model.totalSteps !== totalSteps || !sameSchedule(s.model.train, schedule))
            ? { ...s.model, totalSteps, train: { ...s.model.train, ...schedule } }
            : s.model,
        demo: s.demo && fresh.length === 0,
      };
    }),
  evaluated: (e) => set((s) => (mine(s, e.modelId) ? { evals: [...s.evals, e.result] } : {})),
  sampled: (e) => set((s) => (mine(s, e.modelId) ? { samples: [...s.samples.slice(-49), { step: e.step, text: e.text }] } : {})),
});

/** A new model: nothing runs; its curves are its own history (empty for a new one). */
export function runOnModel(ev: Events['model']): Partial<RunSlice> {
  return {
    run: { ...initialRun, step: ev.model.step, targetSteps: ev.model.targetSteps },
    thisRun: undefined,
    pace: [],
    losses: ev.history.losses,
    evals: ev.history.evals,
    samples: ev.history.samples,
  };
}

/**
 * A run starts when training starts on a model with no run yet, or after the last run
 * reached its target ("Continue training" on a finished run); a pause and a resume stay
 * one run. Counted from the step before its first progress, so no step is missed.
 */
function nextRun(s: RunSlice, p: RunView): RunSlice['thisRun'] {
  const starts = p.state === 'running' && s.run.state !== 'running' && (!s.thisRun || s.thisRun.finished);
  if (starts) return { from: s.run.step, finished: false };
  if (s.thisRun && p.state === 'done') return { ...s.thisRun, finished: true };
  return s.thisRun;
}

const sameSchedule = (a: LrSchedule, b: LrSchedule) =>
  a.learningRate === b.learningRate &&
  a.minLearningRate === b.minLearningRate &&
  a.warmupSteps === b.warmupSteps &&
  a.decaySteps === b.decaySteps &&
  (a.scheduleFrom ?? 0) === (b.scheduleFrom ?? 0);
