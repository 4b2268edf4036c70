/**
 * The experiments' slice of the page: the backend race and the size sweep, what they have
 * posted so far, and the commands that start and stop them. A store of its own (zustand),
 * so the main store stays as it is; the bridge hands it every `experiment` message.
 *
 * Each finished sweep size (`SweepResult`) carries config, train settings, backend,
 * params, final losses and its loss curve: the shape a stored run keeps.
 */
import { create } from 'zustand';
import type { ExperimentEvent, ExperimentRequest, RaceEntrant, RaceResult, RaceSkip, SweepBudget, SweepPlanned, SweepResult, SweepSize } from '../worker/experimentProtocol';
import type { BackendName, ToWorker } from '../worker/protocol';
import type { Notice } from '../i18n';
import type { ModelSummary } from '../worker/protocol';
import { runConfigOf, runsActions, type NewRun } from './runs';
import { useFolio } from './store';

export interface RaceState {
  status: 'idle' | 'running' | 'done' | 'stopped';
  entrants: RaceEntrant[];
  steps: number;
  params: number;
  /** The entrant running now and its step. */
  current?: { entrant: RaceEntrant; step: number; steps: number };
  results: RaceResult[];
  skipped: RaceSkip[];
}

export interface SweepState {
  status: 'idle' | 'planning' | 'running' | 'done' | 'stopped';
  budget?: SweepBudget;
  backend?: BackendName;
  sizes: SweepPlanned[];
  dropped: SweepPlanned[];
  progress?: { index: number; fraction: number; elapsedMs: number; etaMs: number };
  points: SweepResult[];
}

export interface ExperimentsState {
  race: RaceState;
  sweep: SweepState;
  error?: { what: 'race' | 'sweep'; notice: Notice };
}

const idleRace = (): RaceState => ({ status: 'idle', entrants: [], steps: 0, params: 0, results: [], skipped: [] });
const idleSweep = (): SweepState => ({ status: 'idle', sizes: [], dropped: [], points: [] });

export const useExperiments = create<ExperimentsState>()(() => ({ race: idleRace(), sweep: idleSweep() }));

/** Fold one worker event into the state (pure: tests call it on plain objects). */
export function experimentReducer(s: ExperimentsState, e: ExperimentEvent): ExperimentsState {
  switch (e.kind) {
    case 'raceStart':
      return { ...s, error: undefined, race: { ...idleRace(), status: 'running', entrants: e.entrants, steps: e.steps, params: e.params } };
    case 'raceProgress':
      return { ...s, race: { ...s.race, current: { entrant: e.entrant, step: e.step, steps: e.steps } } };
    case 'raceResult':
      return { ...s, race: { ...s.race, results: [...s.race.results, e.result] } };
    case 'raceSkipped':
      return { ...s, race: { ...s.race, skipped: [...s.race.skipped, e.skip] } };
    case 'raceDone':
      return { ...s, race: { ...s.race, current: undefined, status: e.stopped ? 'stopped' : 'done' } };
    case 'sweepPlan':
      return { ...s, sweep: { ...s.sweep, status: 'running', sizes: e.sizes, dropped: e.dropped, budget: e.budget, backend: e.backend } };
    case 'sweepProgress':
      return { ...s, sweep: { ...s.sweep, progress: { index: e.index, fraction: e.fraction, elapsedMs: e.elapsedMs, etaMs: e.etaMs } } };
    case 'sweepPoint':
      return { ...s, sweep: { ...s.sweep, points: [...s.sweep.points, e.result] } };
    case 'sweepDone':
      return { ...s, sweep: { ...s.sweep, progress: undefined, status: e.stopped ? 'stopped' : 'done' } };
    case 'experimentFailed':
      return {
        ...s,
        error: { what: e.what, notice: e.notice },
        ...(e.what === 'race' ? { race: { ...s.race, status: s.race.status === 'running' ? 'stopped' : s.race.status } } : { sweep: { ...s.sweep, status: s.sweep.status === 'running' || s.sweep.status === 'planning' ? 'stopped' : s.sweep.status } }),
      };
  }
}

export function onExperimentEvent(e: ExperimentEvent): void {
  useExperiments.setState((s) => experimentReducer(s, e));
  if (e.kind === 'sweepPoint') runsActions.addRun(sweepRun(e.result, useFolio.getState().model));
}

/** A finished sweep size as a run of the runs list: its config, seed, backend and curve. */
export function sweepRun(r: SweepResult, live: ModelSummary | undefined): NewRun {
  const { vocabSize, ...model } = r.config;
  const corpus = live ? runConfigOf(live, r.steps).corpus : { name: '' };
  return {
    config: { model, train: r.train, tokenizer: { kind: live?.tokenizer ?? 'char', vocabSize }, corpus, steps: r.steps },
    seed: r.train.seed,
    backend: r.backend,
    curves: { train: r.curve.map((p) => ({ step: p.step, loss: p.loss })), val: [{ step: r.steps, val: r.valLoss, train: r.trainLoss }], track: [] },
  };
}

/** What the page can ask: start a race or a sweep, stop either. */
export function experimentCommands(send: (msg: ToWorker) => void) {
  const ask = (request: ExperimentRequest) => send({ type: 'experiment', request });
  return {
    startRace(steps: number, includeEmulated: boolean): void {
      useExperiments.setState((s) => ({ ...s, error: undefined, race: { ...idleRace(), status: 'running' } }));
      ask({ kind: 'race', steps, includeEmulated });
    },
    /** `sizes`: the ladder up to the person's largest (absent: the backend's speed decides). */
    startSweep(budget: SweepBudget, sizes?: SweepSize[]): void {
      useExperiments.setState((s) => ({ ...s, error: undefined, sweep: { ...idleSweep(), status: 'planning', budget } }));
      ask({ kind: 'sweep', budget, ...(sizes ? { sizes } : {}) });
    },
    stopExperiment(): void {
      ask({ kind: 'stop' });
    },
  };
}
