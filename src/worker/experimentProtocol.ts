/**
 * The messages of the experiments — the backend race and the size sweep — between the page
 * and the worker. protocol.ts carries them as one `experiment` message each way, so the
 * shared protocol file only names this one (and this file imports nothing of it: no cycle).
 */
import type { SizedModelConfig, TrainConfig } from '../config';
import type { Notice } from '../i18n';
import type { LossPoint } from '../train/trainer';

/** Who races: the four backends, wasm twice (all of Folio's matMul threads, then one). */
/** protocol.ts's BackendName, spelled out here. */
type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export type RaceEntrant = 'webgpu' | 'webgl' | 'wasm' | 'wasm-1' | 'cpu';
export const RACE_ENTRANTS: readonly RaceEntrant[] = ['webgpu', 'webgl', 'wasm', 'wasm-1', 'cpu'];

export interface RaceResult {
  entrant: RaceEntrant;
  /** The backend's label, e.g. "wasm (CPU) — 2 threads" (English; `labelNotice` to say it). */
  label: string;
  labelNotice?: Notice;
  /** A software GPU (SwiftShader, llvmpipe): the GPU's work emulated on the CPU. */
  emulated: boolean;
  /** Mean time of a timed step (warm-up steps not counted). */
  msPerStep: number;
  tokensPerSec: number;
  /** Steps run, warm-up included. */
  steps: number;
  /** The loss of each step, from the first: equal across backends = the same maths. */
  firstLosses: number[];
}

export interface RaceSkip {
  entrant: RaceEntrant;
  notice: Notice;
  /** The same in English (logs, tests). */
  reason: string;
}

/** The sweep's default budget: 160 steps of 16 sequences of 32 tokens… */
export const SWEEP_DEFAULT_TOKENS = 81_920;
/** …or this many seconds for each size. */
export const SWEEP_DEFAULT_SECONDS = 20;
/** The sweep's time cap (seconds): the default sweep ends well inside ~3 minutes on wasm. */
export const SWEEP_DEFAULT_CAP_S = 120;

export type SweepBudget = { kind: 'tokens'; tokens: number } | { kind: 'time'; seconds: number };

/** A model size of the sweep (vocabulary and corpus come from the live model). */
export interface SweepSize {
  nLayer: number;
  nHead: number;
  nEmbd: number;
}

/** From tiny to large; the backend's speed decides where the sweep stops. */
export const SWEEP_LADDER: readonly SweepSize[] = [
  { nLayer: 1, nHead: 1, nEmbd: 16 },
  { nLayer: 1, nHead: 2, nEmbd: 32 },
  { nLayer: 2, nHead: 4, nEmbd: 64 },
  { nLayer: 4, nHead: 4, nEmbd: 128 },
  { nLayer: 6, nHead: 6, nEmbd: 192 },
  { nLayer: 8, nHead: 8, nEmbd: 256 },
];
/** Every size's context (or the live model's, when shorter). */
export const SWEEP_CONTEXT = 32;

export interface SweepPlanned {
  config: SizedModelConfig;
  params: number;
  /** Steps it will train (a time budget: the estimate for its time). */
  steps: number;
  /** Estimated training time, from two measured steps. */
  estMs: number;
}

/**
 * One finished size: what a run in the runs list keeps (config, seed, backend, curves), so
 * the runs list can take each as a run.
 */
export interface SweepResult {
  index: number;
  config: SizedModelConfig;
  train: TrainConfig;
  backend: BackendName;
  params: number;
  /** Final losses (evaluated on the held-out and training text after the last step). */
  valLoss: number;
  trainLoss: number;
  steps: number;
  tokens: number;
  ms: number;
  /** The training loss, at most ~200 points. */
  curve: LossPoint[];
}

export type ExperimentRequest =
  /** Train a fresh copy of the live model for `steps` steps on each backend. */
  | { kind: 'race'; steps: number; includeEmulated: boolean }
  /** Train each size for the same budget on the live corpus (sizes: a default ladder, cut to what fits `capSeconds`). */
  | { kind: 'sweep'; budget: SweepBudget; sizes?: SweepSize[]; capSeconds?: number }
  /** Stop the race or sweep in progress (what finished stays). */
  | { kind: 'stop' };

export type ExperimentEvent =
  | { kind: 'raceStart'; entrants: RaceEntrant[]; steps: number; params: number }
  | { kind: 'raceProgress'; entrant: RaceEntrant; step: number; steps: number }
  | { kind: 'raceResult'; result: RaceResult }
  | { kind: 'raceSkipped'; skip: RaceSkip }
  | { kind: 'raceDone'; stopped: boolean }
  /** `dropped`: the next size up, too slow for the cap (or, with a time budget, for 30 steps). */
  | { kind: 'sweepPlan'; sizes: SweepPlanned[]; dropped: SweepPlanned[]; budget: SweepBudget; backend: BackendName }
  /** Size `index` is `fraction` done; `etaMs`: the estimate of what is left of the whole sweep. */
  | { kind: 'sweepProgress'; index: number; fraction: number; elapsedMs: number; etaMs: number }
  | { kind: 'sweepPoint'; result: SweepResult }
  | { kind: 'sweepDone'; stopped: boolean }
  | { kind: 'experimentFailed'; what: 'race' | 'sweep'; notice: Notice; message: string };
