/**
 * A job: one kind of training work the run loop drives a step at a time. The loop owns
 * everything kinds share — start, pause, "step N", progress, time, divergence, autosave,
 * questions between steps; a job says what one step is and what is due after it.
 *
 * Pre-training (next-token prediction on the corpus) is the first kind; fine-tuning
 * (tuneJob.ts) the second. Another kind (a backend race, a size sweep) is a new `Job`
 * handed to the loop's `startJob` — the loop and the router's other parts stay as they are.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleConfig } from '../config';
import { generate } from '../predict/predictor';
import type { Tokenizer } from '../tokenizer';
import type { LossPoint } from '../train/trainer';
import { mix } from '../util/rng';
import type { Live } from './live';
import type { FromWorker, SavedHistory } from './protocol';

export interface Job {
  readonly kind: 'pretrain' | 'sft' | 'dpo' | 'rlhf';
  /** The model it trains (the loop stops when the session's live model is another). */
  readonly live: Live;
  /** Steps done, and the step the run ends at. */
  readonly step: number;
  readonly target: number;
  /** Read losses back every this many steps (each read is one device → CPU sync). */
  readonly logEvery: number;
  /** For progress messages. */
  readonly lr: number;
  readonly tokensPerSec: number;
  resetClock(): void;
  /** A rough time for one step before the first (Trainer.probeStepMs), when the kind can say. */
  probeStepMs?(): number;
  /** One optimisation step; its loss stays on the device until `readLosses`. */
  trainStep(): void | Promise<void>;
  readLosses(): Promise<LossPoint[]>;
  /** Where the losses read go (default: the pre-training history and chart). */
  report?: (losses: LossPoint[]) => void;
  /** Work due after a step (evaluations, samples), recorded in the run's history. */
  afterStep(last: boolean): Promise<void>;
}

/** What a job reports to: the page, and the run's history (kept for autosaves). */
export interface JobContext {
  post: (msg: FromWorker) => void;
  history: SavedHistory;
}

const SAMPLE_SETTINGS: Omit<SampleConfig, 'maxTokens' | 'seed'> = { temperature: 0.8, topK: 0, topP: 0.95, greedy: false };

/** Pre-training: next-token loss on the corpus, val loss every `evalInterval` steps, a sample every `sampleEvery`. */
export function pretrainJob(live: Live, ctx: JobContext): Job {
  const { trainer } = live;
  return {
    kind: 'pretrain',
    live,
    get step() {
      return trainer.step;
    },
    get target() {
      return live.config.targetSteps; // the page may change it mid-run
    },
    get logEvery() {
      return trainer.cfg.logEvery;
    },
    get lr() {
      return trainer.lr;
    },
    get tokensPerSec() {
      return trainer.tokensPerSec;
    },
    resetClock: () => trainer.resetClock(),
    // On a CPU backend (wasm, cpu) a big model's step can take minutes: time a small forward pass to say so. A GPU
    // backend would compile its kernels again for the probe's shapes (seconds each on a software GPU): its first step has the one-minute floor.
    ...(['webgpu', 'webgl'].includes(tf.getBackend()) ? {} : { probeStepMs: () => trainer.probeStepMs() }),
    trainStep: () => trainer.trainStep(),
    readLosses: () => trainer.readLosses(),
    async afterStep(last) {
      const step = trainer.step;
      const config = live.config; // read now: the run's settings may change between steps
      if (step % trainer.cfg.evalInterval === 0 || last) {
        const result = await trainer.evaluate();
        ctx.history.evals.push(result);
        ctx.post({ type: 'eval', modelId: live.id, result });
      }
      if (config.sampleEvery > 0 && (step % config.sampleEvery === 0 || last)) {
        const prompt = config.samplePrompt ?? defaultSamplePrompt(live.tokenizer);
        const cfg: SampleConfig = { ...SAMPLE_SETTINGS, maxTokens: config.sampleTokens, seed: mix(config.train.seed, step) };
        let text = '';
        for await (const t of generate(live.model, live.tokenizer, prompt, cfg)) text += t.text;
        ctx.history.samples = [...ctx.history.samples.slice(-49), { step, text }];
        ctx.post({ type: 'sample', modelId: live.id, step, prompt, text });
      }
    },
  };
}

function defaultSamplePrompt(tok: Tokenizer): string {
  return tok.encode('\n').length > 0 ? '\n' : tok.tokenText(0);
}
