/**
 * LoRA on the guest (the pretrained model beside the person's own), through the worker's
 * guest desk as the page drives it — start, steps (the cost meter reading it on the person's
 * corpus), end; the adapters as PEFT's files; merge —
 * on a GPT-2-layout model with GPT-2's real vocabulary and small random weights (no internet).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, readGpt2 } from '../../src/checkpoint/gpt2';
import { applyPeft } from '../../src/checkpoint/peft';
import { disposeGPT } from '../../src/model/gpt';
import { predictNext } from '../../src/predict/predictor';
import { FolioError } from '../../src/i18n';
import { GuestDesk } from '../../src/worker/guest';
import { byteBpeToTokenizerJson } from '../../src/checkpoint/hfByteBpe';
import { fixtureConfig, fixtureSafetensors, GPT2_TOKENIZER, gpt2ConfigJson } from '../gpt2Fixture';
import { backend, readCorpus } from '../helpers';

const FOX = 'The quick brown fox jumps over the lazy';
const c = fixtureConfig({ nLayer: 2, nHead: 2, nEmbd: 16, nPositions: 32 });
const files = () => ({
  config: JSON.stringify(gpt2ConfigJson(c)),
  tokenizer: JSON.stringify(byteBpeToTokenizerJson(GPT2_TOKENIZER)),
  safetensors: fixtureSafetensors(c, { seed: 31 }),
});
const pairs = ['The quick brown fox jumps over the lazy', 'A quick red fox jumps over the lazy'].map((prompt) => ({
  prompt,
  chosen: ' cat',
  rejected: ' dog',
}));

/** P(" cat") and P(" dog") after the fox sentence, from the guest's ranked tokens. */
async function catDog(g: GuestDesk, modelId: string): Promise<[number, number]> {
  const a = (await g.predict(modelId, FOX, 50257, 1))!;
  const p = (s: string) => a.prediction.tokens.find((t) => t.token === s)?.p ?? 0;
  return [p(' cat'), p(' dog')];
}

// wasm, the engine the page's worker runs the guest on: a head over GPT-2's 50,257 tokens makes
// each DPO step and cost-meter reading seconds on the pure-JS cpu backend (≈ 40 s of this test's
// 12 steps there, ≈ 3 s on wasm); what the desk must do does not depend on the backend.
beforeAll(() => backend('wasm'));

describe('LoRA on the guest', () => {
  it('trains adapters a few steps at a time, then saves them as PEFT files and merges them, freeing what it made', async () => {
    const before = tf.memory().numTensors;
    const g = new GuestDesk(() => readCorpus('fox.txt')); // the person's corpus: the cost meter's text
    const loaded = g.load('test-org/tiny-gpt2', files());
    const [cat0, dog0] = await catDog(g, loaded.id);
    const started = await g.tuneStart({
      type: 'guestTuneStart',
      requestId: 1,
      modelId: loaded.id,
      start: { method: 'dpo', lora: { r: 4 }, lr: 1e-2, klBudget: 0, pairs },
      steps: 12,
    });
    expect(started.fit.count).toBe(2);
    expect(started.trainable).toBe(2 * 4 * (16 + 48)); // r 4 on c_attn (16 → 48) in 2 layers
    expect(started.metered).toBe(true);
    const metrics = [];
    for (let i = 0; i < 4; i++) metrics.push(...(await g.tuneSteps(loaded.id, 3)).metrics);
    expect(metrics).toHaveLength(12);
    // The cost meter read the guest at steps 10 and 12 (its last), on corpus windows the pairs do not touch.
    expect(metrics.filter((m) => m.costKl !== undefined).map((m) => m.step)).toEqual([10, 12]);
    expect(metrics.at(-1)!.costKl).toBeGreaterThan(0);
    expect((await g.tuneSteps(loaded.id, 1)).done).toBe(true);
    const { model: tuned } = await g.tuneEnd(loaded.id);
    expect(tuned.id).not.toBe(loaded.id);
    expect(tuned.lora).toMatchObject({ r: 4, alpha: 16, targets: ['c_attn'] });
    await expect(g.predict(loaded.id, FOX)).rejects.toThrow(FolioError); // the old id is gone
    const [cat1, dog1] = await catDog(g, tuned.id);
    expect(cat1 / dog1).toBeGreaterThan(cat0 / dog0); // " cat" gained on " dog"

    // The PEFT files put on a fresh copy of the base give the tuned guest's answers.
    const peft = await g.adapters(tuned.id);
    const fresh = gpt2Model(readGpt2(files()));
    applyPeft(fresh.model, { config: peft.config, safetensors: new Uint8Array(peft.weights) });
    const fromFiles = await predictNext(fresh.model, fresh.tokenizer, FOX, { topTokens: 5, beam: { topWords: 5 } });
    const guestNow = (await g.predict(tuned.id, FOX, 5, 5))!.prediction;
    fromFiles.tokens.forEach((t, i) => expect(Math.abs(t.p - guestNow.tokens[i]!.p)).toBeLessThan(1e-5));
    disposeGPT(fresh.model);

    // Merged: the same answers, no adapters.
    const { model: merged } = await g.merge(tuned.id);
    expect(merged.lora).toBeUndefined();
    const after = (await g.predict(merged.id, FOX, 5, 5))!.prediction;
    after.tokens.forEach((t, i) => expect(Math.abs(t.p - guestNow.tokens[i]!.p)).toBeLessThan(1e-4));
    await expect(g.adapters(merged.id)).rejects.toThrow(/no LoRA adapters/);
    g.drop();
    expect(tf.memory().numTensors).toBe(before);
  }, 240_000);

  it('refuses a bad rank, no data, and steps without a stage — the guest as it was', async () => {
    const g = new GuestDesk();
    const m = g.load('test-org/tiny-gpt2', files());
    const ask = (start: object) =>
      g.tuneStart({ type: 'guestTuneStart', requestId: 1, modelId: m.id, start: { method: 'dpo', lora: {}, pairs, ...start }, steps: 1 });
    await expect(ask({ lora: { r: 0 } })).rejects.toThrow(/rank/);
    await expect(ask({ pairs: [] })).rejects.toThrow(FolioError);
    await expect(g.tuneSteps(m.id, 1)).rejects.toThrow(/No LoRA stage/);
    expect((await g.tuneEnd(m.id)).model.lora).toBeUndefined();
    g.drop();
  });
});
