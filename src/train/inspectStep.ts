/**
 * One step of backpropagation, taken apart: on one example (a prompt and its true next
 * word) measure p(word), the loss −log p(word), the gradient of that loss for each group
 * of parameters, the change AdamW then makes to each group, and p(word) after the change.
 *
 * It works on a COPY of the model and of its AdamW state (moments and step count), taken
 * from the training run when inspection starts: the run's own weights are never touched.
 * Each further step goes on from the copy, so repeating it shows the guess improving step
 * by step. The learning rate is the run's current one unless the caller picks another.
 * No dropout: before and after are measured the same way.
 */
import * as tf from '@tensorflow/tfjs';
import { forward, type GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { FolioError, notice } from '../i18n';
import { AdamW, type AdamWConfig } from './adamw';
import { copyGPT } from './finetune/tuning';
import type { Trainer } from './trainer';

/** A prompt followed by the word that truly comes next, as token ids. */
export interface StepExample {
  /** prompt + word tokens, cropped to the model's context + 1. */
  ids: number[];
  /** How many of the last ids are the word's tokens (the ones scored). */
  wordTokens: number;
}

export interface GroupStat {
  /** "wte", "wpe", "h.0.attn", "h.0.mlp", "h.0.ln", …, "lnF". */
  group: string;
  params: number;
  /** L2 norm of the loss's gradient over the group's parameters (before clipping). */
  gradNorm: number;
  /** L2 norm of the change AdamW made to them. */
  updateNorm: number;
  /** L2 norm of the parameters themselves (before the step), for scale. */
  weightNorm: number;
}

export interface InspectedStep {
  /** p(word | prompt) = product of its tokens' probabilities, before and after the step. */
  before: number;
  after: number;
  /** −log p(word) before and after. */
  loss: number;
  lossAfter: number;
  /** Global gradient norm, and the factor clipping scaled it by (1 = not clipped). */
  gradNorm: number;
  clipScale: number;
  lr: number;
  groups: GroupStat[];
  /** Inspected steps taken on this copy so far (this one included). */
  steps: number;
  /** The training step the copy was taken at. */
  fromStep: number;
}

/** An example the tokenizer cannot make (an empty word, letters it does not know). */
export class ExampleError extends FolioError {
  override name = 'ExampleError';
}

/** The example "prompt → word": " word" after a prompt that does not end in whitespace. */
export function wordExample(tok: Tokenizer, prompt: string, word: string, blockSize: number): StepExample {
  const w = word.trim();
  if (!w) throw new ExampleError(notice('insideNoWord'));
  const lead = prompt === '' || /\s$/u.test(prompt) ? '' : ' ';
  const promptIds = tok.encode(prompt);
  const wordIds = tok.encode(lead + w);
  if (wordIds.length === 0 || wordIds.includes(tok.unkId ?? -1) || tok.decode(wordIds) !== lead + w)
    throw new ExampleError(notice('insideCannotSpell', { word: w }));
  if (promptIds.length === 0) throw new ExampleError(notice('promptEmpty'));
  if (wordIds.length > blockSize) throw new ExampleError(notice('insideWordTooLong', { word: w, tokens: wordIds.length, blockSize }));
  const ids = promptIds.concat(wordIds);
  return { ids: ids.slice(Math.max(0, ids.length - (blockSize + 1))), wordTokens: wordIds.length };
}

/** −log p(word | prompt): the summed cross-entropy of the word's tokens (call inside tf.tidy). */
export function exampleLoss(model: GPT, ex: StepExample, formulation: 'fast' | 'reference' = 'fast'): tf.Scalar {
  const T = ex.ids.length - 1;
  const k = ex.wordTokens;
  const V = model.config.vocabSize;
  const x = tf.tensor2d(Int32Array.from(ex.ids.slice(0, T)), [1, T], 'int32');
  const { logits } = forward(model, x, { formulation }); // (1, T, V)
  const scored = tf.slice(logits.reshape([T, V]), [T - k, 0], [k, V]); // (k, V): the positions that predict the word's tokens
  const targets = tf.oneHot(tf.tensor1d(ex.ids.slice(T + 1 - k), 'int32'), V).toFloat(); // (k, V)
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(scored), targets))) as tf.Scalar;
}

/** Which bar a parameter belongs to: each block's attention, MLP and LayerNorms, and the rest by name. */
export function paramGroup(name: string): string {
  const m = /^h\.(\d+)\.(attn|mlp|ln[12])\b/.exec(name);
  if (m) return `h.${m[1]}.${m[2]!.startsWith('ln') ? 'ln' : m[2]}`;
  return name.split('.')[0]!;
}

export class StepInspector {
  readonly model: GPT;
  private readonly optimizer: AdamW;
  private steps = 0;
  private readonly gradClip: number;

  /**
   * Copy `source` (and `state`'s AdamW moments, when given) — the copies share nothing
   * the source's training can change.
   */
  constructor(
    source: GPT,
    cfg: AdamWConfig,
    readonly lr: number,
    readonly fromStep: number,
    state?: AdamW,
  ) {
    this.gradClip = cfg.gradClip;
    this.model = copyGPT(source);
    this.optimizer = new AdamW(this.model.named, cfg);
    if (state) this.optimizer.loadState(state.t, state.stateTensors());
  }

  /** A copy of a training run's model and optimizer, stepping at the run's current learning rate. */
  static of(trainer: Trainer, lr = trainer.lr): StepInspector {
    return new StepInspector(trainer.model, trainer.cfg, lr, trainer.step, trainer.optimizer);
  }

  /** One inspected step on the copy. */
  async step(ex: StepExample, lr = this.lr): Promise<InspectedStep> {
    const named = this.model.named;
    const vars = named.map((p) => p.variable);
    const packed = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => exampleLoss(this.model, ex), vars);
      const byName = new Map(named.map((p) => [p.name, grads[p.variable.name]!] as const));
      const old = named.map((p) => p.variable.clone());
      const sq = (t: tf.Tensor) => tf.sum(tf.square(t));
      const gradSq = named.map((p) => sq(byName.get(p.name)!));
      const weightSq = old.map(sq);
      const norm = this.optimizer.apply(byName, lr);
      const updateSq = named.map((p, i) => sq(tf.sub(p.variable, old[i]!)));
      const after = exampleLoss(this.model, ex);
      return tf.stack([value, after, norm, ...gradSq, ...updateSq, ...weightSq]);
    });
    const v = await packed.data();
    packed.dispose();
    this.steps++;
    const n = named.length;
    const groups = new Map<string, GroupStat>();
    named.forEach((p, i) => {
      const name = paramGroup(p.name);
      const g = groups.get(name) ?? { group: name, params: 0, gradNorm: 0, updateNorm: 0, weightNorm: 0 };
      g.params += p.variable.size;
      g.gradNorm += v[3 + i]!; // squared sums for now
      g.updateNorm += v[3 + n + i]!;
      g.weightNorm += v[3 + 2 * n + i]!;
      groups.set(name, g);
    });
    const gradNorm = v[2]!;
    return {
      before: Math.exp(-v[0]!),
      after: Math.exp(-v[1]!),
      loss: v[0]!,
      lossAfter: v[1]!,
      gradNorm,
      clipScale: this.gradClip > 0 ? Math.min(1, this.gradClip / Math.max(gradNorm, 1e-30)) : 1,
      lr,
      groups: [...groups.values()].map((g) => ({
        ...g,
        gradNorm: Math.sqrt(g.gradNorm),
        updateNorm: Math.sqrt(g.updateNorm),
        weightNorm: Math.sqrt(g.weightNorm),
      })),
      steps: this.steps,
      fromStep: this.fromStep,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const p of this.model.named) p.variable.dispose();
  }
}
