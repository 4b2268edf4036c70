/**
 * What a run is, as data that travels: the settings a session trains with (model,
 * training, tokenizer, corpus, length, samples) and the history it keeps (losses,
 * evaluations, samples, time). The worker's protocol and the checkpoint both carry them.
 */
import type { ModelConfig, TrainConfig } from '../config';
import type { TokenizerConfig } from '../tokenizer';
import type { PromptFormat } from './finetune/qaFormat';
import type { EvalResult, LossPoint } from './trainer';

export interface CorpusInput {
  /** Shown to the person: a bundled corpus's title or an uploaded file's name. */
  name: string;
  text: string;
}

export interface SessionConfig {
  model: ModelConfig;
  train: TrainConfig;
  tokenizer: TokenizerConfig;
  corpus: CorpusInput;
  /** Training stops by itself after this many steps (the run's length). */
  targetSteps: number;
  /** Write a sample every this many steps (0 = never). */
  sampleEvery: number;
  /** Length of those samples, in tokens. */
  sampleTokens: number;
  /** The prompt samples start from (default: a newline or the corpus's first token). */
  samplePrompt?: string;
}

/** What an autosave keeps besides the weights, so a reload shows the same run. */
export interface SavedHistory {
  losses: LossPoint[];
  evals: EvalResult[];
  samples: { step: number; text: string }[];
  elapsedMs: number;
}

/** A stage a model went through: pre-training, instruction tuning, or learning from feedback. */
export interface Stage {
  kind: 'pretrain' | 'sft' | 'dpo' | 'rlhf';
  steps: number;
  /** The reference model of a fine-tuning stage (an id of its weights, see tuning.ts). */
  reference?: string;
  /** Instruction tuning: the prompt format its pairs were written in (the chat box asks in it, see finetune/qaFormat.ts). */
  format?: PromptFormat;
}

/**
 * The stages with the pre-training done since the last one counted in. The pre-training
 * trainer counts only its own steps, so the pre-training stages add up to its step: the
 * last stage grows if it is pre-training, else pre-training after fine-tuning is a new stage.
 */
export function withPretraining(stages: readonly Stage[], pretrainStep: number): Stage[] {
  // The other stages stay the same objects: a running fine-tuning stage counts its steps in its own (worker/tuneJob.ts).
  const out = [...stages];
  const last = out.at(-1);
  const before = out.filter((s) => s.kind === 'pretrain' && s !== last).reduce((n, s) => n + s.steps, 0);
  if (last?.kind === 'pretrain') out[out.length - 1] = { ...last, steps: Math.max(0, pretrainStep - before) };
  else if (pretrainStep > before) out.push({ kind: 'pretrain', steps: pretrainStep - before });
  return out;
}

/** A person's judgement of two samples after a prompt. */
export type Rating = { prompt: string; chosen: string; rejected: string } | { prompt: string; bad: [string, string] };
