/**
 * The page's state, in slices (backend, model, training), in one zustand store.
 * Components select single values; the worker bridge (bridge.ts) writes here from
 * outside React. No training maths lives here — only what the page shows.
 */
import { create } from 'zustand';
import type { Prediction } from '../predict/predictor';
import type { BackendReport, ModelSummary, RunState } from '../train/protocol';
import type { EvalResult, LossPoint } from '../train/trainer';

export interface Notice {
  scope: string;
  message: string;
}

export interface FolioState {
  backend?: BackendReport;
  model?: ModelSummary;
  run: {
    state: RunState;
    step: number;
    targetSteps: number;
    tokensPerSec: number;
    lr: number;
    elapsedMs: number;
  };
  losses: LossPoint[];
  evals: EvalResult[];
  samples: { step: number; text: string }[];
  error?: Notice;
  /** What the person typed, and the model's answer for it (the newest request wins). */
  prompt: string;
  prediction?: { prompt: string; step: number; requestId: number; result: Prediction };
  predictionError?: string;
}

export const initialState: FolioState = {
  run: { state: 'idle', step: 0, targetSteps: 0, tokensPerSec: 0, lr: 0, elapsedMs: 0 },
  losses: [],
  evals: [],
  samples: [],
  prompt: 'The quick brown fox jumps over the lazy',
};

export const useFolio = create<FolioState>(() => initialState);

/** Store actions, callable from outside React (the bridge). */
export const actions = {
  setBackend: (backend: BackendReport) => useFolio.setState({ backend }),
  modelReady: (model: ModelSummary) =>
    useFolio.setState({
      model,
      run: { ...initialState.run, step: model.step, targetSteps: model.targetSteps },
      losses: [],
      evals: [],
      samples: [],
      error: undefined,
    }),
  progress: (p: FolioState['run'], newLosses: LossPoint[]) =>
    useFolio.setState((s) => ({ run: p, losses: newLosses.length ? s.losses.concat(newLosses) : s.losses })),
  evaluated: (e: EvalResult) => useFolio.setState((s) => ({ evals: [...s.evals, e] })),
  sampled: (step: number, text: string) => useFolio.setState((s) => ({ samples: [...s.samples.slice(-19), { step, text }] })),
  failed: (error: Notice) => useFolio.setState({ error }),
  setPrompt: (prompt: string) => useFolio.setState({ prompt }),
  predicted: (p: NonNullable<FolioState['prediction']>) =>
    useFolio.setState((s) => (s.prediction && s.prediction.requestId > p.requestId ? {} : { prediction: p, predictionError: undefined })),
  predictionFailed: (message: string) => useFolio.setState({ predictionError: message }),
  clearError: () => useFolio.setState({ error: undefined }),
};
