/**
 * A pretrained GPT-2's full export (checkpoint/gpt2.ts gpt2FolderFiles, worker/guest.ts
 * exportModel): the folder — config.json, model.safetensors in GPT-2's names, the tokenizer
 * files it came with — zipped as the toy's export is, read back through the Hub loader's own
 * reader (readGpt2), gives the live LoRA model's logits (base + adapter), without merging in
 * place: the model, its adapters and its answers are as they were, and no tensor is left
 * behind. Without adapters it is the plain weights, bit for bit. Running out of memory is
 * said as such and changes nothing. On a small random GPT-2-layout model (gpt2Fixture.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { gpt2FolderFiles, gpt2Model, readGpt2, type Gpt2Files } from '../../src/checkpoint/gpt2';
import { byteBpeToTokenizerJson } from '../../src/checkpoint/hfByteBpe';
import { hfZip } from '../../src/checkpoint/hfZip';
import { readHeader } from '../../src/checkpoint/safetensors';
import { FolioError } from '../../src/i18n';
import { disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { addLora } from '../../src/model/lora';
import { predictNext } from '../../src/predict/predictor';
import { unzipStored } from '../../src/util/zip';
import { GuestDesk } from '../../src/worker/guest';
import { fixtureConfig, fixtureSafetensors, GPT2_MERGES_TXT, GPT2_TOKENIZER, GPT2_VOCAB_JSON, gpt2ConfigJson } from '../gpt2Fixture';
import { backend } from '../helpers';

/** The next export's zip fails as an allocation past the machine's memory does (set by the test that wants it). */
const failZip = vi.hoisted(() => ({ next: false }));
vi.mock('../../src/checkpoint/hfZip', async (real) => {
  const actual = await real<typeof import('../../src/checkpoint/hfZip')>();
  return {
    ...actual,
    hfZip: (...a: Parameters<typeof actual.hfZip>) => {
      if (failZip.next) {
        failZip.next = false;
        throw new RangeError('Array buffer allocation failed');
      }
      return actual.hfZip(...a);
    },
  };
});

const FOX = 'The quick brown fox jumps over the lazy';
const c = fixtureConfig({ nLayer: 2, nHead: 2, nEmbd: 16, nPositions: 32 });
const TOKENIZER_JSON = JSON.stringify(byteBpeToTokenizerJson(GPT2_TOKENIZER));
const files = (tokenizer: 'json' | 'vocab' = 'json'): Gpt2Files => ({
  config: JSON.stringify(gpt2ConfigJson(c)),
  safetensors: fixtureSafetensors(c, { seed: 41 }),
  ...(tokenizer === 'json' ? { tokenizer: TOKENIZER_JSON } : { vocab: GPT2_VOCAB_JSON, merges: GPT2_MERGES_TXT }),
});
const IDS = [464, 2068, 7586, 21831, 18045, 625, 262, 16931]; // the fox sentence in GPT-2's ids

function logitsOf(model: GPT): Float32Array {
  return tf.tidy(() => forward(model, tf.tensor2d(IDS, [1, IDS.length], 'int32')).logits.dataSync() as Float32Array);
}
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
const values = (m: GPT) => [...m.named, ...(m.lora?.named ?? [])].map((p) => (p.variable.dataSync() as Float32Array).slice());

/** A zip's files by name (inside its folder), as the Hub loader's files. */
function unzipFolder(parts: Uint8Array[], folder: string): { names: string[]; files: Gpt2Files } {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) all.set(p, (at += p.byteLength) - p.byteLength);
  const entries = unzipStored(all);
  const text = (n: string) => {
    const b = entries.get(`${folder}/${n}`);
    return b && new TextDecoder().decode(b);
  };
  const got = { tokenizer: text('tokenizer.json'), vocab: text('vocab.json'), merges: text('merges.txt') };
  return {
    names: [...entries.keys()],
    files: {
      config: text('config.json')!,
      safetensors: entries.get(`${folder}/model.safetensors`)!,
      ...Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined)),
    },
  };
}

beforeAll(() => backend());

describe('a GPT-2 exported whole', () => {
  it('with LoRA adapters: reloads through readGpt2 to the live adapted model’s logits, the model and its adapters untouched', async () => {
    const parts = readGpt2(files());
    const { model } = gpt2Model(parts);
    const base = logitsOf(model);
    addLora(model, { r: 4, alpha: 8, targets: ['c_attn', 'c_fc', 'mlp.c_proj'] }, 3);
    for (const p of model.lora!.named.filter((p) => p.name.endsWith('lora_b'))) {
      const b = tf.randomNormal(p.variable.shape, 0, 0.3, 'float32', 9); // a trained adapter's stand-in (a fresh one is zero)
      p.variable.assign(b);
      b.dispose();
    }
    const live = logitsOf(model);
    expect(maxDiff(live, base)).toBeGreaterThan(1e-2); // the adapters matter: a plain copy of the base would fail below
    const before = values(model);
    const tensors = tf.memory().numTensors;

    const hf = await gpt2FolderFiles(model, parts);
    expect(tf.memory().numTensors).toBe(tensors); // each merged weight freed once written
    expect(model.lora).toBeDefined();
    values(model).forEach((v, i) => expect(maxDiff(v, before[i]!)).toBe(0)); // base and adapters as they were
    expect(maxDiff(logitsOf(model), live)).toBe(0);

    // GPT-2's layout: transformers' names, the head tied (stored once), F32; its config written back as F32.
    const header = readHeader(hf.safetensors).header;
    expect(Object.keys(header)).toContain('transformer.h.1.attn.c_attn.weight');
    expect(Object.keys(header).some((k) => k.includes('lora') || k.startsWith('lm_head'))).toBe(false);
    expect(Object.values(header).every((e) => e.dtype === 'F32')).toBe(true);
    expect(JSON.parse(hf.config)).toEqual({ ...gpt2ConfigJson(c), torch_dtype: 'float32' });
    expect(hf.tokenizer).toBe(TOKENIZER_JSON); // the tokenizer file it came with, as it came

    const { names, files: back } = unzipFolder(hfZip(hf, 'tiny-merged'), 'tiny-merged');
    expect(names.sort()).toEqual(['tiny-merged/config.json', 'tiny-merged/model.safetensors', 'tiny-merged/tokenizer.json']);
    const reloaded = gpt2Model(readGpt2(back));
    expect(reloaded.model.lora).toBeUndefined();
    expect(maxDiff(logitsOf(reloaded.model), live)).toBeLessThan(1e-4);
    [model, reloaded.model].forEach(disposeGPT);
  });

  it('without adapters: the plain weights bit for bit, and vocab.json + merges.txt written back when that is what it came with', async () => {
    const parts = readGpt2(files('vocab'));
    const { model } = gpt2Model(parts);
    const hf = await gpt2FolderFiles(model, parts);
    expect(hf.tokenizer).toBeUndefined();
    expect([hf.vocab, hf.merges]).toEqual([GPT2_VOCAB_JSON, GPT2_MERGES_TXT]);
    const { names, files: back } = unzipFolder(hfZip(hf, 'gpt2-hf'), 'gpt2-hf');
    expect(names.sort()).toEqual(['gpt2-hf/config.json', 'gpt2-hf/merges.txt', 'gpt2-hf/model.safetensors', 'gpt2-hf/vocab.json']);
    const reloaded = gpt2Model(readGpt2(back));
    values(reloaded.model).forEach((v, i) => expect(maxDiff(v, values(model)[i]!)).toBe(0));
    [model, reloaded.model].forEach(disposeGPT);
  });

  it('from the guest desk, after a LoRA stage: a zip whose model answers as the guest does; out of memory is said, and nothing changes', async () => {
    const pairs = [FOX, 'A quick red fox jumps over the lazy'].map((prompt) => ({ prompt, chosen: ' cat', rejected: ' dog' }));
    const before = tf.memory().numTensors;
    const g = new GuestDesk();
    const loaded = g.load('test-org/tiny-gpt2', files());
    const untuned = (await g.predict(loaded.id, FOX, 50, 5))!.prediction;
    await g.tuneStart({
      type: 'guestTuneStart',
      requestId: 1,
      modelId: loaded.id,
      start: { method: 'dpo', lora: { r: 4 }, lr: 3e-2, klBudget: 0, pairs },
      steps: 3,
    });
    await g.tuneSteps(loaded.id, 3);
    const { model: tuned } = await g.tuneEnd(loaded.id);
    const guest = (await g.predict(tuned.id, FOX, 50, 5))!.prediction;
    expect(Math.max(...guest.tokens.map((t, i) => Math.abs(t.p - untuned.tokens[i]!.p)))).toBeGreaterThan(1e-4); // the stage moved it

    const { modelId, parts } = await g.exportModel(tuned.id, 'tiny-gpt2-merged');
    expect(modelId).toBe(tuned.id);
    const reloaded = gpt2Model(readGpt2(unzipFolder(parts, 'tiny-gpt2-merged').files));
    const fromZip = await predictNext(reloaded.model, reloaded.tokenizer, FOX, { topTokens: 50, beam: { topWords: 5 } });
    expect(fromZip.tokens.map((t) => t.id)).toEqual(guest.tokens.map((t) => t.id));
    fromZip.tokens.forEach((t, i) => expect(Math.abs(t.p - guest.tokens[i]!.p)).toBeLessThan(1e-5));
    disposeGPT(reloaded.model);

    // Out of memory while writing: a notice that says so; the guest keeps its id, adapters and answers.
    failZip.next = true;
    const failed = await g.exportModel(tuned.id, 'x').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(FolioError);
    expect((failed as FolioError).notice.code).toBe('guestExportMemory');
    const again = (await g.predict(tuned.id, FOX, 50, 5))!.prediction;
    again.tokens.forEach((t, i) => expect(t.p).toBe(guest.tokens[i]!.p));
    expect((await g.adapters(tuned.id)).config).toContain('"r": 4');
    g.drop();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
