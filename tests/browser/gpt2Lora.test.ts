/**
 * LoRA on GPT-2 in the page as visitors get it (the production build): a GPT-2-layout model
 * the test wrote (GPT-2's real vocabulary, small random weights) is served under the Hub's
 * URL layout and loaded beside the toy; the Fine-tune panel then tunes its adapters by DPO on
 * the bundled feedback, step by step, saves them as PEFT's two files — which, put on the same
 * base in Node, give the guest's ranked words in the page — downloads the merged model (a
 * Hugging Face folder in one .zip, which, read back in Node, gives those words too, while the
 * guest keeps its adapters), and merges them in; the plain model then downloads the same.
 * Set FOLIO_SHOTS=<dir> to also write a screenshot of the LoRA section there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, readGpt2, type Gpt2Files } from '../../src/checkpoint/gpt2';
import { applyPeft } from '../../src/checkpoint/peft';
import { disposeGPT } from '../../src/model/gpt';
import { predictNext } from '../../src/predict/predictor';
import { unzipStored } from '../../src/util/zip';
import { backend } from '../helpers';
import { serveHub, writeGpt2Folder, type HubServer } from '../gpt2Fixture';
import { tempDir } from '../tempDir';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const tmp = tempDir('gpt2-lora-page');
const dir = path.join(tmp, 'tiny-gpt2');
const REPO = 'test-org/tiny-gpt2';
const FOX = 'The quick brown fox jumps over the lazy';
const shots = process.env.FOLIO_SHOTS;
let server: HubServer;

beforeAll(async () => {
  writeGpt2Folder(dir, { seed: 12 });
  server = await serveHub({ [REPO]: dir });
});
afterAll(() => server?.close());

async function routeHub(page: Page): Promise<void> {
  await page.route(
    (url) => url.hostname === 'huggingface.co' || url.hostname.endsWith('.hf.co'),
    async (route) => route.fulfill({ response: await route.fetch({ url: server.url + new URL(route.request().url()).pathname }) }),
  );
}

/** The ranked words for the fox sentence in Node, of a GPT-2 folder's files (with PEFT files on it, when given). */
async function wordsOf(files: Gpt2Files, peft?: { config: string; weights: Uint8Array }): Promise<string[]> {
  await backend('cpu');
  const { model, tokenizer } = gpt2Model(readGpt2(files));
  if (peft) applyPeft(model, { config: peft.config, safetensors: peft.weights });
  const r = await predictNext(model, tokenizer, FOX, { topTokens: 10, beam: { topWords: 10 } });
  disposeGPT(model);
  return r.words.map((w) => (w.continues ? `+${w.word}` : w.word));
}

/** The base folder the test served. */
function baseFiles(): Gpt2Files {
  const b = readFileSync(path.join(dir, 'model.safetensors'));
  return {
    config: readFileSync(path.join(dir, 'config.json'), 'utf8'),
    tokenizer: readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'),
    safetensors: new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  };
}

/** A downloaded .zip of a GPT-2 folder: the names inside, and the files the Hub loader reads. */
function unzipGpt2(zip: Buffer): { names: string[]; files: Gpt2Files } {
  const entries = unzipStored(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength));
  const one = (name: string) => [...entries].find(([k]) => k.endsWith(`/${name}`))?.[1];
  const text = (name: string) => new TextDecoder().decode(one(name));
  return {
    names: [...entries.keys()].sort(),
    files: { config: text('config.json'), tokenizer: text('tokenizer.json'), safetensors: one('model.safetensors')! },
  };
}

describe('LoRA on GPT-2 in the Fine-tune panel', () => {
  it('tunes adapters step by step, saves them as PEFT files that reproduce its answers, and merges them', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny', async (page) => {
      await routeHub(page);
      await expect.poll(() => page.getByTestId('next-word').count(), { timeout: 90_000 }).toBeGreaterThan(0);
      expect(await page.getByTestId('guest-lora').count()).toBe(0); // no GPT-2, no LoRA section
      await page.getByTestId('hub-repo').fill(REPO);
      await page.getByTestId('hub-check').click();
      await page.getByTestId('hub-download').click({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('hub-loaded').count(), { timeout: 90_000 }).toBe(1);
      await expect.poll(() => page.getByTestId('guest-word').count(), { timeout: 90_000 }).toBe(10);

      await page.getByTestId('feedback-examples').click();
      await page.getByTestId('lora-method').selectOption('dpo');
      await page.getByTestId('lora-rank').fill('4');
      await page.getByTestId('lora-steps').fill('3');
      await page.getByTestId('lora-train').click();
      await expect.poll(() => page.getByTestId('lora-has').getAttribute('data-r'), { timeout: 180_000 }).toBe('4');
      expect(await page.getByTestId('lora-error').count()).toBe(0);
      await expect.poll(() => page.getByTestId('guest-word').count(), { timeout: 90_000 }).toBe(10);
      const guestWords = async () => page.getByTestId('guest-word').evaluateAll((els) => els.map((e) => e.getAttribute('data-word')));
      const shown = await guestWords();

      const downloads: { name: string; bytes: Buffer }[] = [];
      page.on('download', (d) => void d.path().then((p) => downloads.push({ name: d.suggestedFilename(), bytes: readFileSync(p) })));
      await page.getByTestId('lora-save').click();
      await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
      const file = (n: string) => downloads.find((d) => d.name === n)!.bytes;
      const config = file('adapter_config.json').toString('utf8');
      expect(JSON.parse(config)).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, target_modules: ['c_attn'], base_model_name_or_path: REPO });
      const w = file('adapter_model.safetensors');
      expect(await wordsOf(baseFiles(), { config, weights: new Uint8Array(w.buffer, w.byteOffset, w.byteLength) })).toEqual(shown);

      // The merged model, without merging in place: a Hugging Face folder in one .zip that answers as the guest does.
      const zipped = async (name: string) => {
        await expect.poll(() => downloads.some((d) => d.name === name), { timeout: 60_000 }).toBe(true);
        return unzipGpt2(downloads.find((d) => d.name === name)!.bytes);
      };
      expect(await page.getByTestId('guest-export').getAttribute('data-merged')).toBe('true');
      if (shots) await page.getByTestId('guest-lora').screenshot({ path: path.join(shots, 'guest-lora-export.png') });
      await page.getByTestId('guest-export').click();
      const merged = await zipped('tiny-gpt2-merged.zip');
      expect(merged.names).toEqual(['tiny-gpt2-merged/config.json', 'tiny-gpt2-merged/model.safetensors', 'tiny-gpt2-merged/tokenizer.json']);
      expect(merged.files.tokenizer).toBe(baseFiles().tokenizer); // the tokenizer file it came with
      expect(await wordsOf(merged.files)).toEqual(shown);
      expect(await page.getByTestId('lora-has').getAttribute('data-r')).toBe('4'); // the guest keeps its adapters
      expect(await page.getByTestId('guest-export-error').count()).toBe(0);
      expect(await guestWords()).toEqual(shown);

      await page.getByTestId('lora-merge').click();
      await expect.poll(() => page.getByTestId('lora-has').count(), { timeout: 30_000 }).toBe(0);
      // Merged in place, it has no adapters: the same button saves its plain weights, which answer the same.
      expect(await page.getByTestId('guest-export').getAttribute('data-merged')).toBe('false');
      if (shots) await page.getByTestId('guest-lora').screenshot({ path: path.join(shots, 'guest-lora-export-plain.png') });
      await page.getByTestId('guest-export').click();
      const plain = await zipped('tiny-gpt2-hf.zip');
      expect(plain.names.map((n) => n.split('/')[1])).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
      expect(await wordsOf(plain.files)).toEqual(shown);
    });
  }, 400_000);
});
