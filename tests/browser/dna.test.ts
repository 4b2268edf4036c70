/**
 * DNA and "bow" in the page (the production build, real Chromium, wasm): the genome is a
 * bundled corpus read in 3-mers by a bundled model that ranks ATG first after a TATA box;
 * with characters it trains, and the next-token bars are the four bases; the
 * side-by-side "bow" view is read by the bundled bow model, and its two sides go on
 * differently. Set FOLIO_SHOTS=<dir> to also write screenshots there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { unzipStored } from '../../src/util/zip';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const shots = process.env.FOLIO_SHOTS;

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').innerText());

async function train(page: Page, steps: number) {
  await page.getByTestId('train-start').click();
  await expect.poll(() => stepOf(page), { timeout: 30 * steps + 60_000 }).toBe(steps);
}

describe('DNA and bow in the page', () => {
  it('the genome: the bundled 3-mer model ranks ATG first after a TATA box; with characters it trains and the next tokens are A, C, G, T', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano&steps=30', async (page) => {
      await ready(page);
      await page.getByTestId('corpus-select').selectOption('dna');
      await expect.poll(() => page.getByTestId('corpus-name').innerText(), { timeout: 60_000 }).toBe('A generated genome (DNA)');
      // The genome switches the tokenizer to overlapping 3-mers: 64 k-mers and <unk>, shown in the Corpus panel.
      await expect.poll(() => page.getByTestId('vocab-size').innerText(), { timeout: 60_000 }).toBe('65');
      await expect.poll(() => page.getByTestId('kmer-vocab').locator('.tok').count()).toBe(64);
      expect(await page.getByTestId('kmer-vocab').getAttribute('data-k')).toBe('3');
      await expect.poll(() => new URL(page.url()).searchParams.get('tokenizer')).toBe('kmer');
      expect(await page.getByTestId('prompt-input').inputValue()).toMatch(/^[ACGT]+TATAAA[ACGT]{10}$/); // a DNA example prompt
      // The bundled DNA model (corpus/pretrained/dna-nano): after TATAAA + 10 bases the gene starts.
      await expect.poll(() => page.getByTestId('next-word').first().getAttribute('data-word'), { timeout: 60_000 }).toBe('ATG');
      const nextBases = () =>
        page.getByTestId('next-base').evaluateAll((els) => els.map((e) => [e.getAttribute('data-base'), Number(e.getAttribute('data-prob'))] as const));
      const bases = await nextBases();
      expect(bases.map((b) => b[0])).toEqual(['A', 'C', 'G', 'T']);
      expect(bases[0]![1]).toBeGreaterThan(0.5);
      expect(bases.reduce((a, b) => a + b[1], 0)).toBeGreaterThan(0.95); // the rest: inconsistent 3-mers
      const heat = page.getByTestId('attention-heatmap');
      await expect.poll(async () => Number(await heat.getAttribute('data-tokens')), { timeout: 30_000 }).toBe(26); // 28 bases → 26 overlapping 3-mers
      if (shots) {
        await page.locator('section.next-words').screenshot({ path: path.join(shots, 'dna-next-bases.png') });
        await page.locator('section.corpus').screenshot({ path: path.join(shots, 'dna-kmer-vocab.png') });
        await page.locator('section.attention').screenshot({ path: path.join(shots, 'dna-attention.png') });
      }

      // Characters on the same genome: random weights, trained here; the next tokens are the four bases.
      await page.locator('input[name=tokenizer][value=char]').check();
      await page.getByRole('button', { name: 'Use this tokenizer' }).click();
      await expect.poll(() => page.getByTestId('vocab-size').innerText(), { timeout: 60_000 }).toBe('4');
      await ready(page);
      await train(page, 30);
      await expect.poll(() => page.getByTestId('next-base').count(), { timeout: 30_000 }).toBe(4);
      const p = (await nextBases()).map((b) => b[1]);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3); // characters: every token is a base
      // The ranked "bases" are runs of three (codons); the raw next tokens are A, C, G, T.
      await expect.poll(() => page.getByTestId('next-word').count()).toBeGreaterThan(3);
      for (const w of await page.getByTestId('next-word').evaluateAll((els) => els.map((e) => e.getAttribute('data-word')))) expect(w).toMatch(/^[ACGT]{3}$/);
      await page.getByRole('radio', { name: 'tokens' }).check();
      const tokens = await page.getByTestId('next-token').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      expect(tokens.map((s) => s.match(/^[ACGT]/)?.[0]).sort()).toEqual(['A', 'C', 'G', 'T']);
      if (shots) await page.locator('section.next-words').screenshot({ path: path.join(shots, 'dna-char-tokens.png') });

      // Back to the fox text: Folio ships a model trained on it, and the question says that model replaces this one (not random weights). Cancel keeps the genome.
      await page.getByTestId('corpus-select').selectOption('fox');
      await expect
        .poll(() => page.getByTestId('confirm-body').innerText())
        .toBe('Your model has trained 30 steps. The model Folio ships already trained on “The quick brown fox” replaces it.');
      await page.getByTestId('cancel').click();
      expect(await page.getByTestId('corpus-name').innerText()).toBe('A generated genome (DNA)');
    });
  }, 300_000);

  it('Generate on the genome: one new base per token, wrapped in its box, each base showing its 3-mer; the export says what its tokenizer.json does, shows the Python and saves one .zip', async () => {
    await withPage('backend=wasm&corpus=dna&tokenizer=kmer&preset=nano', async (page) => {
      await ready(page);
      await page.getByTestId('generate').click();
      const out = page.getByTestId('generated-text');
      await expect.poll(() => out.getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
      expect(Number(await out.getAttribute('data-tokens'))).toBe(200);
      expect(await out.innerText()).toMatch(/^[ACGT]{200}$/); // 200 tokens, 200 bases, nothing else
      // Wrapped: the box never scrolls sideways, and the bases run over several lines.
      const box = page.locator('.generated');
      const { scrollWidth, clientWidth } = await box.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      const lines = await out.evaluate((e) => new Set([...e.querySelectorAll('.gen-tok')].map((s) => Math.round(s.getBoundingClientRect().top))).size);
      expect(lines).toBeGreaterThan(2);
      // Pointing at a base: its whole 3-mer (ending in that base), its probability, the four 3-mers that could follow.
      const tok = out.locator('.gen-tok').nth(5);
      await tok.hover();
      expect(await page.getByTestId('token-kmer').innerText()).toMatch(new RegExp(`token [ACGT]{2}${await tok.innerText()}:`));
      expect(await page.getByTestId('token-details').innerText()).toMatch(/\d+(\.\d)?%/);
      expect(await page.getByTestId('token-details').locator('.alt').count()).toBe(4);
      expect(await page.getByTestId('gen-kmer-note').innerText()).toMatch(/3-mer that overlaps/);
      if (shots) await page.locator('section.generate').screenshot({ path: path.join(shots, 'dna-generate.png') });

      // Save for Python / Hugging Face: what tokenizer.json does with overlapping 3-mers, the Python, one .zip.
      expect(await page.getByTestId('hf-dna-note').innerText()).toMatch(/overlapping 3-mers .* the model’s own token ids/);
      await page.getByTestId('hf-python').locator('summary').click();
      const code = await page.getByTestId('hf-python-code').innerText();
      expect(code).toMatch(/zipfile\.ZipFile\("folio-.*-step\d+-hf\.zip"\)\.extractall/);
      expect(code).toContain('kmers = tok.convert_ids_to_tokens');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('checkpoint-export-hf').click()]);
      expect(download.suggestedFilename()).toMatch(/^folio-.*-step\d+-hf\.zip$/);
      const files = unzipStored(new Uint8Array(readFileSync(await download.path())));
      const folder = download.suggestedFilename().replace(/\.zip$/, '');
      expect([...files.keys()].sort()).toEqual(
        ['README.md', 'config.json', 'folio.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].map((f) => `${folder}/${f}`),
      );
      const readme = new TextDecoder().decode(files.get(`${folder}/README.md`));
      expect(readme).toContain(`zipfile.ZipFile("${folder}.zip")`);
      expect(readme).toContain('normalizer');
      if (shots) await page.locator('section.checkpoints').screenshot({ path: path.join(shots, 'dna-export.png') });
    });
  }, 180_000);

  it('a shared ?corpus=dna&tokenizer=kmer link in Portuguese: a DNA prompt, ATG tracked, a map of k-mers by first base, no English corpus name; pasted prose switches to characters', async () => {
    await withPage('backend=wasm&corpus=dna&tokenizer=kmer&preset=nano&lang=pt', async (page) => {
      await ready(page);
      expect(await page.getByTestId('prompt-input').inputValue()).toMatch(/^[ACGT]+TATAAA[ACGT]{10}$/);
      expect(await page.getByTestId('track-word').inputValue()).toBe('ATG');
      expect(await page.getByTestId('corpus-name').innerText()).toBe('Um genoma gerado (DNA)');
      await page.getByTestId('inside-panel').scrollIntoViewIfNeeded(); // off screen the panel does not redraw
      await page.getByTestId('inside-tab-embeddings').click();
      const legend = page.getByTestId('emb-legend');
      await expect.poll(() => legend.innerText(), { timeout: 60_000 }).toMatch(/começa com A.*começa com T/s);
      const map = page.locator('.emb-map');
      expect(await map.innerText()).toMatch(/k-mer/);
      expect(await map.innerText()).not.toMatch(/vogais|dog/);
      await page.getByTestId('inside-tab-backprop').click();
      expect(await page.getByTestId('backprop-word').inputValue()).toBe('ATG'); // the inspected word follows the tracked one
      // Prose pasted while k-mers are on: read in characters, not refused.
      await page.getByTestId('corpus-paste').fill('Anna has a red apple. Bob has a green pear. '.repeat(40));
      await page.getByTestId('corpus-paste-use').click();
      await expect.poll(() => page.getByTestId('corpus-name').innerText(), { timeout: 60_000 }).toMatch(/Anna has a/);
      expect(await page.locator('input[name=tokenizer][value=char]').isChecked()).toBe(true);
      expect(await page.getByTestId('corpus-error').count()).toBe(0);
      if (shots) await page.getByTestId('inside-panel').screenshot({ path: path.join(shots, 'dna-embeddings-pt.png') });
    });
  }, 120_000);

  it('the bow view reads both sentences with the bundled bow model: different next words on each side', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await ready(page);
      await expect.poll(() => page.getByTestId('bow-next').count(), { timeout: 60_000 }).toBe(2);
      await expect.poll(() => page.getByTestId('bow-next').nth(0).getByTestId('bow-word').count(), { timeout: 60_000 }).toBeGreaterThan(2);
      const words = (i: number) =>
        page
          .getByTestId('bow-next')
          .nth(i)
          .getByTestId('bow-word')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-word')));
      const stage = await words(0);
      const archery = await words(1);
      expect(['to', 'as', 'multiple', 'again', 'before', 'while']).toContain(stage[0]);
      expect(['and', 'with', 'for', 'made']).toContain(archery[0]);
      expect(await page.getByTestId('bow-continuation').nth(0).innerText()).toMatch(/audience|crowd|applau|times|stood/);
      expect(await page.getByTestId('bow-continuation').nth(1).innerText()).toMatch(/arrow|target|string|hunting|yew/);
      if (shots) await page.locator('section.attention').screenshot({ path: path.join(shots, 'bow-view.png') });
    });
  }, 240_000);
});
