/**
 * LoRA on GPT-2 in the page as visitors get it (the production build): a GPT-2-layout model
 * the test wrote (GPT-2's real vocabulary, small random weights) is served under the Hub's
 * URL layout and loaded beside the toy; the Fine-tune panel then tunes its adapters by DPO on
 * the bundled feedback, step by step, saves them as PEFT's two files — which, put on the same
 * base in Node, give the guest's ranked words in the page — and merges them in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, readGpt2 } from '../../src/checkpoint/gpt2';
import { applyPeft } from '../../src/checkpoint/peft';
import { disposeGPT } from '../../src/model/gpt';
import { predictNext } from '../../src/predict/predictor';
import { backend } from '../helpers';
import { serveHub, writeGpt2Folder, type HubServer } from '../gpt2Fixture';
import { tempDir } from '../tempDir';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const tmp = tempDir('gpt2-lora-page');
const dir = path.join(tmp, 'tiny-gpt2');
const REPO = 'test-org/tiny-gpt2';
const FOX = 'The quick brown fox jumps over the lazy';
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

/** The guest's ranked words for the fox sentence in Node, from the base files and PEFT files. */
async function wordsWith(config: string, weights: Uint8Array): Promise<string[]> {
  await backend('cpu');
  const b = readFileSync(path.join(dir, 'model.safetensors'));
  const { model, tokenizer } = gpt2Model(
    readGpt2({
      config: readFileSync(path.join(dir, 'config.json'), 'utf8'),
      tokenizer: readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'),
      safetensors: new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    }),
  );
  applyPeft(model, { config, safetensors: weights });
  const r = await predictNext(model, tokenizer, FOX, { topTokens: 10, beam: { topWords: 10 } });
  disposeGPT(model);
  return r.words.map((w) => (w.continues ? `+${w.word}` : w.word));
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
      expect(await wordsWith(config, new Uint8Array(w.buffer, w.byteOffset, w.byteLength))).toEqual(shown);

      await page.getByTestId('lora-merge').click();
      await expect.poll(() => page.getByTestId('lora-has').count(), { timeout: 30_000 }).toBe(0);
    });
  }, 400_000);
});
