/**
 * Fine-tuning on a held-out design (tests/tuneDesign.ts, issue 26): `nano` (char, context 32)
 * trained from scratch on a text whose next words we wrote — "On <day> the <adj> baker
 * sells fresh" → bread 60 %, rolls 25 %, pies 15 % — with people preferring "pies", the
 * word the model ranks third, after prompts of 35–40 characters (longer than the context:
 * they are cropped, keeping their end, and counted). Every stage as the page and the CLI
 * run it (train/finetune/stage.ts: default settings, the cost meter, the KL budget).
 *
 * - DPO: "pies" first on a baker no pair names, and the unrelated prompt ("In spring the
 *   farmer grows" → corn/wheat) within total variation 0.25 of the reference.
 * - SFT: the taught answers first, and the baker sentence's top word unchanged with the
 *   hold on what it knew on; off, the cost meter climbs (forgetting), and the default KL budget
 *   stops the stage and says so.
 * - RLHF held too tight to learn (β 10) says the reward did not rise.
 * RLHF over five seeds: rlhfSeeds.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGPT, type GPT } from '../../src/model/gpt';
import type { Tokenizer } from '../../src/tokenizer';
import { defaultBeta, defaultLr, TUNE_DEFAULTS, type TuneMethod, type TuneMetrics } from '../../src/train/finetune/preference';
import { startStage, type StageSettings } from '../../src/train/finetune/stage';
import { encodePairs, encodeSft } from '../../src/train/finetune/tuneData';
import { copyGPT } from '../../src/train/finetune/tuning';
import { noticeText, type Notice } from '../../src/i18n';
import { backend } from '../helpers';
import { bakerPrompt, designBase, designInstructions, designPairs, HELD_OUT_ADJ, topWord, UNRELATED, wordsAfter, wordsLine, wordsTv } from '../tuneDesign';

let tok: Tokenizer;
let base: GPT;
let corpus: { train: Int32Array; val: Int32Array };
const HELD = bakerPrompt('Monday', HELD_OUT_ADJ);

beforeAll(async () => {
  await backend('wasm');
  const b = await designBase(); // trained once a run, here or by rlhfSeeds.test.ts
  [tok, base, corpus] = [b.tok, b.model, b.corpus];
  console.log(
    `[design] nano trained 400 steps ${b.trainedHere ? 'here' : 'by another file, loaded'} in ${b.seconds.toFixed(0)} s; "${HELD}" → ${wordsLine(await wordsAfter(base, tok, HELD))}; "${UNRELATED}" → ${wordsLine(await wordsAfter(base, tok, UNRELATED))}`,
  );
}, 180_000);

/** A stage from the base model, run to its end as the CLI runs it: the tuned model, its metrics and what it came to. */
async function stage(method: TuneMethod, steps: number, over: { cfg?: Partial<typeof TUNE_DEFAULTS>; settings?: Partial<StageSettings> } = {}) {
  const policy = copyGPT(base);
  const reference = copyGPT(base);
  const B = base.config.blockSize;
  const { fit, ...data } = method === 'sft' ? encodeSft(designInstructions(), tok, B) : encodePairs(designPairs(), tok, B);
  const cfg = { ...TUNE_DEFAULTS, lr: defaultLr(method), beta: defaultBeta(method), seed: 1, ...over.cfg };
  const s = startStage({ method, policy, reference, tokenizer: tok, data, corpus, cfg, steps, ...(over.settings ? { settings: over.settings } : {}) });
  const metrics: TuneMetrics[] = [];
  const t0 = performance.now();
  while (!s.done) {
    await s.advance();
    if (s.step % 10 === 0 || s.done) metrics.push(...(await s.read()));
  }
  const seconds = (performance.now() - t0) / 1000;
  const outcome: Notice[] = s.outcome();
  const stopped = s.stopped;
  const done = s.step;
  s.dispose();
  disposeGPT(reference);
  return { policy, fit, metrics, outcome, stopped, done, seconds, costs: metrics.filter((m) => m.costKl !== undefined) };
}

describe('the held-out design', () => {
  it('the base model ranks "pies" third after the baker prompt, and every pair’s prompt is longer than the context', async () => {
    const w = await wordsAfter(base, tok, HELD);
    expect(Object.keys(w).slice(0, 3)).toEqual(['bread', 'rolls', 'pies']);
    expect(w.pies).toBeLessThan(0.2);
    const { fit } = encodePairs(designPairs(), tok, base.config.blockSize);
    expect(fit).toEqual({ count: 160, croppedPrompts: 160, cutCompletions: 0, identical: 0, context: 32 });
  });
});

describe('DPO', () => {
  it('puts the preferred word first on a baker no pair names, and leaves the unrelated prompt within TV 0.25', async () => {
    const numTensors = tf.memory().numTensors;
    const r = await stage('dpo', 60);
    const [before, after] = [await wordsAfter(base, tok, HELD), await wordsAfter(r.policy, tok, HELD)];
    const [uBefore, uAfter] = [await wordsAfter(base, tok, UNRELATED), await wordsAfter(r.policy, tok, UNRELATED)];
    const tv = wordsTv(uBefore, uAfter);
    console.log(
      `[design dpo, 60 steps, ${r.seconds.toFixed(1)} s] "${HELD}": ${wordsLine(before)} → ${wordsLine(after)}; unrelated: ${wordsLine(uBefore, 2)} → ${wordsLine(uAfter, 2)}, TV ${tv.toFixed(3)}; cost ${r.costs.map((m) => m.costKl!.toFixed(3)).join(' ')}`,
    );
    expect(topWord(after)).toBe('pies');
    expect(tv).toBeLessThan(0.25);
    expect(r.costs).toHaveLength(6); // read every 10 steps
    expect(r.costs.at(-1)!.costKl).toBeGreaterThan(0); // it moved something…
    expect(r.costs.at(-1)!.costKl).toBeLessThan(0.3); // …within the default budget
    expect(r.stopped).toBeUndefined();
    disposeGPT(r.policy);
    expect(tf.memory().numTensors).toBe(numTensors);
  }, 120_000);
});

describe('instruction tuning (SFT)', () => {
  const questions = designInstructions();

  it('holding what it knew: the taught answers first, the baker sentence’s top word unchanged; without: the cost climbs', async () => {
    const kept = await stage('sft', 100);
    const bare = await stage('sft', 100, { cfg: { keep: 0 }, settings: { klBudget: 0 } });
    const before = topWord(await wordsAfter(base, tok, HELD));
    const lines: string[] = [];
    for (const [name, r] of [
      ['hold on', kept],
      ['hold off', bare],
    ] as const) {
      const answers = await Promise.all(questions.map(async (q) => topWord(await wordsAfter(r.policy, tok, q.prompt))));
      const held = await wordsAfter(r.policy, tok, HELD);
      lines.push(
        `${name}: answers ${answers.join('/')}; "${HELD}" ${wordsLine(held, 2)}; cost KL ${r.costs.at(-1)!.costKl!.toFixed(3)}, TV ${r.costs.at(-1)!.costTv!.toFixed(3)}`,
      );
      if (r === kept) {
        expect(answers).toEqual(questions.map((q) => q.completion.split(/[ .]/)[0])); // "the baker." → "the", "bread." → "bread", …
        expect(topWord(held)).toBe(before);
      }
    }
    console.log(`[design sft, 100 steps] ${lines.join(' | ')}`);
    expect(kept.costs.at(-1)!.costKl).toBeLessThan(0.3);
    expect(bare.costs.at(-1)!.costKl).toBeGreaterThan(3 * kept.costs.at(-1)!.costKl!); // forgetting, measured
    disposeGPT(kept.policy);
    disposeGPT(bare.policy);
  }, 120_000);

  it('without the hold, the default KL budget stops the stage where the meter passed it, and says so', async () => {
    const r = await stage('sft', 100, { cfg: { keep: 0 } });
    console.log(`[design sft, hold off, budget 0.3] stopped ${JSON.stringify(r.stopped)}; ${noticeText('en', r.outcome[0]!)}`);
    expect(r.stopped).toBeDefined();
    expect(r.done).toBe(r.stopped!.step);
    expect(r.done).toBeLessThan(100);
    expect(r.costs.at(-1)).toMatchObject({ step: r.done });
    expect(r.costs.at(-1)!.costKl).toBeGreaterThan(0.3);
    expect(r.outcome.map((n) => n.code)).toEqual(['tuneBudgetStop']);
    expect(noticeText('pt', r.outcome[0]!)).toMatch(/^Parou no passo \d+ de 100/);
    disposeGPT(r.policy);
  }, 60_000);
});

describe('RLHF held too tight to learn', () => {
  it('says the reward did not rise', async () => {
    const r = await stage('rlhf', 60, { cfg: { beta: 10 } });
    const said = r.outcome.map((n) => noticeText('en', n));
    console.log(`[design rlhf, β 10] ${said.join(' ')}`);
    expect(r.outcome.map((n) => n.code)).toEqual(['rlhfNoRise']);
    expect(said[0]).toMatch(/^The reward did not rise: /);
    disposeGPT(r.policy);
  }, 60_000);
});
