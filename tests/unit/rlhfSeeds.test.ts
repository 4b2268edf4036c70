/**
 * RLHF on the held-out design (tests/tuneDesign.ts), over five seeds, at the defaults the
 * page and the CLI use (40 reward-model steps, then the policy: 4 whole completions of
 * each of 4 prompts a step, each against its siblings' mean (RLOO), β 0.3, the
 * hold on what it knew, the cost meter and its 0.3-nat budget). On every seed: the reward
 * model ranks the held-out pairs as people did, the reward rises and the stage says so,
 * P("pies") after a baker no pair names rises by at least 0.1, and the unrelated prompt's
 * ranked words stay within total variation 0.25 of the reference.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGPT, type GPT } from '../../src/model/gpt';
import type { Tokenizer } from '../../src/tokenizer';
import { defaultBeta, defaultLr, TUNE_DEFAULTS, type TuneMetrics } from '../../src/train/finetune/preference';
import { startStage } from '../../src/train/finetune/stage';
import { encodePairs } from '../../src/train/finetune/tuneData';
import { copyGPT } from '../../src/train/finetune/tuning';
import { noticeText } from '../../src/i18n';
import { backend } from '../helpers';
import { bakerPrompt, designBase, designPairs, HELD_OUT_ADJ, UNRELATED, wordsAfter, wordsTv } from '../tuneDesign';

let tok: Tokenizer;
let base: GPT;
let corpus: { train: Int32Array; val: Int32Array };
const HELD = bakerPrompt('Monday', HELD_OUT_ADJ);
const STEPS = 40 + 20;

beforeAll(async () => {
  await backend('wasm');
  ({ tok, model: base, corpus } = await designBase()); // trained once a run, here or by finetuneDesign.test.ts
}, 180_000);

describe('RLHF on the held-out design, five seeds', () => {
  const rows: string[] = [];

  it.each([1, 2, 3, 4, 5])(
    'seed %i: the reward rises, P("pies") +0.1 or more, the unrelated prompt within TV 0.25',
    async (seed) => {
      const policy = copyGPT(base);
      const reference = copyGPT(base);
      const numTensors = tf.memory().numTensors;
      const { pairs } = encodePairs(designPairs(), tok, base.config.blockSize);
      const cfg = { ...TUNE_DEFAULTS, lr: defaultLr('rlhf'), beta: defaultBeta('rlhf'), seed };
      const stage = startStage({ method: 'rlhf', policy, reference, tokenizer: tok, data: { pairs }, corpus, cfg, steps: STEPS });
      const metrics: TuneMetrics[] = [];
      const t0 = performance.now();
      while (!stage.done) {
        await stage.advance();
        if (stage.step % 10 === 0 || stage.done) metrics.push(...(await stage.read()));
      }
      const seconds = (performance.now() - t0) / 1000;
      const [outcome] = stage.outcome();
      stage.dispose();
      expect(tf.memory().numTensors).toBe(numTensors); // the reward model, the meter, the pending metrics: all freed
      const [before, after] = [await wordsAfter(reference, tok, HELD), await wordsAfter(policy, tok, HELD)];
      const tv = wordsTv(await wordsAfter(reference, tok, UNRELATED), await wordsAfter(policy, tok, UNRELATED));
      const last = metrics.at(-1)!;
      const row =
        `seed ${seed}: P(pies) ${before.pies!.toFixed(3)} → ${(after.pies ?? 0).toFixed(3)}, P(bread) ${before.bread!.toFixed(3)} → ${(after.bread ?? 0).toFixed(3)}; ` +
        `unrelated TV ${tv.toFixed(3)}; rm accuracy ${metrics[39]!.rmAccuracy}, win rate ${last.winRate?.toFixed(3)}, KL ${last.kl?.toFixed(2)}, cost KL ${last.costKl?.toFixed(3)}; ${seconds.toFixed(1)} s`;
      rows.push(row);
      console.log(`[design rlhf, ${STEPS} steps] ${row}\n  ${noticeText('en', outcome!)}`);
      expect(metrics[39]!.rmAccuracy).toBe(1); // after its 40 steps, on the pairs of the prompts it never saw
      expect(outcome!.code).toBe('rlhfRose');
      expect((after.pies ?? 0) - before.pies!).toBeGreaterThanOrEqual(0.1);
      expect(tv).toBeLessThan(0.25);
      expect(last.winRate).toBeGreaterThan(0.5);
      disposeGPT(policy);
      disposeGPT(reference);
    },
    120_000,
  );
});
