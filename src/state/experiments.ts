/**
 * The experiments' store: the backend race and the size sweep, and what they have posted
 * so far (the commands that start and stop them are commands/experiments.ts). The bridge
 * hands it every `experiment` event. What it shows belongs to a model: the race to the
 * model it raced (a copy of), the sweep to the corpus and tokenizer it trained on — a new
 * model clears the race, a model of another corpus the sweep (`experimentsOnModel`).
 *
 * Each finished sweep size (`SweepResult`) carries config, train settings, backend,
 * params, final losses and its loss curve: the shape a stored run keeps, and the runs
 * list takes the sweep's sizes as one group.
 */
import type { ExperimentEvent, RaceEntrant, RaceResult, RaceSkip, SweepBudget, SweepPlanned, SweepResult } from '../worker/experimentProtocol';
import type { BackendName } from '../worker/protocol';
import type { Notice } from '../i18n';
import type { ModelSummary } from '../worker/protocol';
import { runConfigOf, runsActions, type NewRun } from './runs';
import { makeStore } from './store/makeStore';

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
  /** What it trained on (corpus and tokenizer of the model it started from): it means nothing for another. */
  key?: string;
  /** Its sizes' group in the runs list. */
  groupId?: string;
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

export const useExperiments = makeStore<ExperimentsState>(() => ({ race: idleRace(), sweep: idleSweep() }));

/** A sweep's sizes are comparable for one corpus read by one tokenizer. */
export const sweepKey = (m: Pick<ModelSummary, 'corpusName' | 'tokenizer' | 'vocabSize'>) => `${m.corpusName}/${m.tokenizer}/${m.vocabSize}`;

/** A new model: the race was of the old one; the sweep stays only for the same corpus and tokenizer. */
export function experimentsOnModel(model: ModelSummary): void {
  useExperiments.update((s) => ({
    race: s.race.status === 'running' ? s.race : idleRace(),
    sweep:
      s.sweep.status === 'idle' || s.sweep.status === 'planning' || s.sweep.status === 'running' || s.sweep.key === sweepKey(model) ? s.sweep : idleSweep(),
  }));
}

export const idleExperiment = { race: idleRace, sweep: idleSweep };

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
        ...(e.what === 'race'
          ? { race: { ...s.race, status: s.race.status === 'running' ? 'stopped' : s.race.status } }
          : { sweep: { ...s.sweep, status: s.sweep.status === 'running' || s.sweep.status === 'planning' ? 'stopped' : s.sweep.status } }),
      };
  }
}

export function onExperimentEvent(e: ExperimentEvent, live: ModelSummary | undefined): void {
  useExperiments.update((s) => experimentReducer(s, e));
  if (e.kind === 'sweepPoint') {
    const sweep = useExperiments.get().sweep;
    runsActions.addRun(sweepRun(e.result, live, sweep.groupId ?? 'sweep'));
  }
}

/** A finished sweep size as a run of the runs list (one of its sweep's group): its config, seed, backend and curve. */
export function sweepRun(r: SweepResult, live: ModelSummary | undefined, groupId: string): NewRun {
  const { vocabSize, ...model } = r.config;
  const corpus = live ? runConfigOf(live, r.steps).corpus : { name: '' };
  return {
    config: { model, train: r.train, tokenizer: { kind: live?.tokenizer ?? 'char', vocabSize }, corpus, steps: r.steps },
    seed: r.train.seed,
    backend: r.backend,
    curves: { train: r.curve.map((p) => ({ step: p.step, loss: p.loss })), val: [{ step: r.steps, val: r.valLoss, train: r.trainLoss }] },
    group: { id: groupId, kind: 'sweep', index: r.index },
    ...(live ? { charsPerToken: live.charsPerToken } : {}),
  };
}
