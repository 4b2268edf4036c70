/**
 * Fine-tuning, with honest numbers. A tiny model first learns a corpus whose next-word
 * distribution we wrote ("the dog chases the" → ball 50 %, cat 30 %, car 20 %; "cats
 * eat" → fish 70 %, mice 30 %). Then preference pairs for a rule the test chooses —
 * "car" over "ball" and "cat" after "chases the" — must raise P(car) on a held-out subject, under
 * DPO and under RLHF, keep the KL to the reference bounded, and leave an unrelated
 * prompt's distribution where it was. Instruction tuning must cut the completion loss and
 * never score the prompt.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { buildTokenizer, type Tokenizer } from '../../src/tokenizer';
import { DpoTuner, RlhfTuner, SftTuner, TUNE_DEFAULTS, defaultBeta, type Pair } from '../../src/train/finetune/preference';
import { Trainer } from '../../src/train/trainer';
import { copyGPT, maskedLoss, pack } from '../../src/train/finetune/tuning';
import { Rng } from '../../src/util/rng';
import { backend, tinyTrain } from '../helpers';

const SUBJECTS = ['dog', 'boy', 'girl', 'man'];
const HELD_OUT = 'man';

function corpus(): string {
  const lines: string[] = [];
  for (const s of SUBJECTS) for (let i = 0; i < 100; i++) lines.push(`the ${s} chases the ${i < 50 ? 'ball' : i < 80 ? 'cat' : 'car'} .`);
  for (let i = 0; i < 200; i++) lines.push(`cats eat ${i < 140 ? 'fish' : 'mice'} .`);
  const rng = new Rng(3);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines.join('\n') + '\n';
}

let tok: Tokenizer;
let base: GPT;

/** The model's next-word distribution after `prompt` (word tokenizer: one token per word). */
async function nextWords(model: GPT, prompt: string, words: string[]): Promise<Record<string, number>> {
  const ids = tok.encode(prompt);
  const probs = tf.tidy(() => {
    const { logits } = forward(model, tf.tensor2d(ids, [1, ids.length], 'int32'));
    return tf.softmax(logits.slice([0, ids.length - 1, 0], [1, 1, -1]).reshape([-1]));
  });
  const p = await probs.data();
  probs.dispose();
  return Object.fromEntries(words.map((w) => [w, p[tok.encode(w)[0]!]!]));
}

/** KL(p‖q) over the full next-token distributions after `prompt`. */
async function klAfter(p: GPT, q: GPT, prompt: string): Promise<number> {
  const ids = tok.encode(prompt);
  const kl = tf.tidy(() => {
    const last = (m: GPT) =>
      tf.logSoftmax(
        forward(m, tf.tensor2d(ids, [1, ids.length], 'int32'))
          .logits.slice([0, ids.length - 1, 0], [1, 1, -1])
          .reshape([-1]),
      );
    const [lp, lq] = [last(p), last(q)];
    return tf.sum(tf.mul(tf.exp(lp), tf.sub(lp, lq)));
  });
  const v = (await kl.data())[0]!;
  kl.dispose();
  return v;
}

/** The rule the tests choose: after "the S chases the", people prefer "car" to the other endings. */
const pairsFor = (subjects: string[]): Pair[] =>
  subjects.flatMap((s) =>
    ['ball', 'cat', 'ball', 'cat'].map((worse) => ({ prompt: tok.encode(`the ${s} chases the `), chosen: tok.encode('car'), rejected: tok.encode(worse) })),
  );

beforeAll(async () => {
  await backend('wasm');
  const text = corpus();
  tok = buildTokenizer(text, { kind: 'word', vocabSize: 64 });
  base = createGPT({ nLayer: 2, nHead: 2, nEmbd: 32, blockSize: 16, dropout: 0, vocabSize: tok.vocabSize }, 5);
  const tr = new Trainer(
    base,
    splitTokens(tok.encode(text), 16),
    tinyTrain({ batchSize: 16, learningRate: 3e-3, minLearningRate: 3e-4, warmupSteps: 20, decaySteps: 400, seed: 5 }),
  );
  for (let i = 0; i < 400; i++) tr.trainStep();
  await tr.readLosses();
  tr.dispose();
}, 120_000);

describe('the pretrained model', () => {
  it('learned the written distribution (the starting point of every test below)', async () => {
    const p = await nextWords(base, `the ${HELD_OUT} chases the `, ['ball', 'cat', 'car']);
    expect(p.ball).toBeCloseTo(0.5, 1);
    expect(p.car).toBeCloseTo(0.2, 1);
  });
});

describe('preference tuning', () => {
  const held = `the ${HELD_OUT} chases the `;
  const unrelated = 'cats eat ';
  const train = () => pairsFor(SUBJECTS.filter((s) => s !== HELD_OUT)); // after beforeAll built the tokenizer

  it.each(['dpo', 'rlhf'] as const)(
    '%s raises the preferred ending on a held-out subject, keeps KL bounded, leaves an unrelated prompt alone',
    async (method) => {
      const policy = copyGPT(base);
      const reference = copyGPT(base);
      const numTensors = tf.memory().numTensors;
      const cfg = { ...TUNE_DEFAULTS, seed: 7, rmSteps: 40, beta: defaultBeta(method) }; // the defaults: lr 1e-4, β 0.1 (DPO) and 0.3 (RLHF)
      const ends = new Set(tok.encode('.'));
      const tuner = method === 'dpo' ? new DpoTuner(policy, reference, train(), cfg) : new RlhfTuner(policy, reference, train(), cfg, undefined, ends);
      // RLHF samples 4 completions of 4 prompts a step, each judged against its siblings (RLOO):
      // 100 policy steps move it as far as 300 single samples with a batch-mean baseline did.
      const steps = method === 'dpo' ? 60 : 40 + 100;
      for (let i = 0; i < steps; i++) await tuner.trainStep();
      if (tuner instanceof RlhfTuner) await tuner.finish();
      const metrics = await tuner.readMetrics();
      const before = await nextWords(reference, held, ['ball', 'car']);
      const after = await nextWords(policy, held, ['ball', 'car']);
      const kl = await klAfter(policy, reference, held);
      const unrelatedKl = await klAfter(policy, reference, unrelated);
      const [fishBefore, fishAfter] = [(await nextWords(reference, unrelated, ['fish'])).fish!, (await nextWords(policy, unrelated, ['fish'])).fish!];
      console.log(
        `[${method}] P(car) ${before.car!.toFixed(3)} → ${after.car!.toFixed(3)}, P(ball) ${before.ball!.toFixed(3)} → ${after.ball!.toFixed(3)}, KL ${kl.toFixed(3)}; unrelated: KL ${unrelatedKl.toFixed(4)}, P(fish) ${fishBefore.toFixed(3)} → ${fishAfter.toFixed(3)}; last: ${JSON.stringify(metrics.at(-1))}`,
      );
      // The stated bounds (measured: DPO +0.21, RLHF +0.20; KL 0.26 and 0.24; unrelated KL 0.20
      // and 0.02; P(fish) moved 0.09 and 0.04 — no corpus here, so no hold on what it knew):
      expect(after.car! - before.car!).toBeGreaterThanOrEqual(0.1); // the preferred ending: +10 points at least
      expect(after.ball!).toBeLessThan(before.ball!);
      expect(kl).toBeLessThan(method === 'dpo' ? 1 : 1.5); // nats, at the default β (0.1)
      expect(unrelatedKl).toBeLessThan(0.3); // the unrelated prompt keeps its distribution…
      expect(Math.abs(fishAfter - fishBefore)).toBeLessThan(0.12); // …P(fish) within 12 points
      if (method === 'dpo') expect(metrics.at(-1)!.rewardMargin).toBeGreaterThan(0);
      else {
        expect(metrics[cfg.rmSteps - 1]!.rmAccuracy).toBe(1); // held-out pairs ranked as people did
        expect(metrics.at(-1)!.kl).toBeDefined();
        expect(metrics.at(-1)!.reward).toBeDefined();
        const v = (tuner as RlhfTuner).verdict()!;
        console.log(`[rlhf] verdict ${JSON.stringify(v)}`);
        expect(v.rose).toBe(true);
        expect(v.preferredNow).toBeGreaterThan(v.preferredBefore);
        expect(v.winRate).toBeGreaterThan(0.5);
      }
      tuner.dispose();
      expect(tf.memory().numTensors).toBe(numTensors);
      disposeGPT(policy);
      disposeGPT(reference);
    },
    120_000,
  );
});

describe('instruction tuning (SFT)', () => {
  it('scores only the completion: the mask covers exactly the completion tokens, and the prompt never counts', () => {
    const ex = { prompt: [5, 6, 7], completion: [8, 9] };
    const p = pack([ex, { prompt: [5], completion: [6] }], 16);
    expect(p.T).toBe(4);
    expect(Array.from(p.y.slice(0, 4))).toEqual([6, 7, 8, 9]);
    expect(Array.from(p.mask.slice(0, 4))).toEqual([0, 0, 1, 1]); // targets 8 and 9 only
    expect(Array.from(p.mask.slice(4, 8))).toEqual([1, 0, 0, 0]); // "6" after "5"; the rest is padding
    // The loss is the mean −log p over exactly those positions (computed here by hand).
    const model = copyGPT(base);
    const manual = tf.tidy(() => {
      const { logits } = forward(model, tf.tensor2d(p.x, [p.B, p.T], 'int32'));
      const lp = tf.logSoftmax(logits).arraySync() as number[][][];
      const at = (b: number, t: number) => -lp[b]![t]![p.y[b * p.T + t]!]!;
      return (at(0, 2) + at(0, 3) + at(1, 0)) / 3;
    });
    const loss = tf.tidy(() => maskedLoss(model, p).arraySync() as number);
    expect(loss).toBeCloseTo(manual, 5);
    disposeGPT(model);
  });

  it('cuts the completion loss on prompt → completion pairs', async () => {
    const model = copyGPT(base);
    const examples = SUBJECTS.map((s) => ({ prompt: tok.encode(`the ${s} chases the `), completion: tok.encode('cat .') }));
    const lossOf = () => tf.tidy(() => maskedLoss(model, pack(examples, 16)).arraySync() as number);
    const before = lossOf();
    const tuner = new SftTuner(model, examples, { ...TUNE_DEFAULTS, lr: 1e-3 });
    for (let i = 0; i < 30; i++) await tuner.trainStep();
    await tuner.readMetrics();
    const after = lossOf();
    console.log(`[sft] completion loss ${before.toFixed(3)} → ${after.toFixed(3)}`);
    expect(after).toBeLessThan(before / 3);
    tuner.dispose();
    disposeGPT(model);
  }, 60_000);
});
