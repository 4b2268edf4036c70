/**
 * Nothing lost, in real Chromium on the production build: a reload resumes where the
 * run was; exported files load back; broken checkpoint files, a too-high learning rate,
 * a 50 MB paste and a crashed worker each get a message and keep the working model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';
import { tempDir } from '../tempDir';

const { withPage } = previewPages();
const dir = tempDir('faults');

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').getAttribute('data-step'));
const corpusName = (page: Page) => page.getByTestId('corpus-name').innerText();

/** Train from scratch until at least `n` steps, pause, and wait for the autosave of that step. */
async function trainAndPause(page: Page, n: number): Promise<number> {
  await page.getByTestId('train-start').click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(n);
  await page.getByTestId('train-pause').click();
  await expect.poll(() => page.getByTestId('train-start').isVisible(), { timeout: 30_000 }).toBe(true);
  const step = await stepOf(page);
  await expect.poll(() => page.getByTestId('autosaved').getAttribute('data-step'), { timeout: 30_000 }).toBe(String(step));
  return step;
}

describe('nothing lost', () => {
  it('a reload offers to resume; Resume it brings the model back at its step with its loss history, and trains on', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=5000', async (page) => {
      await ready(page);
      const step = await trainAndPause(page, 6);
      const points = step; // one loss point per step
      await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points')).toBe(String(points));
      await page.reload();
      await page.getByTestId('resume').click();
      // It trains on from where it was: the counter and the curve go past the save, on the same corpus…
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(step);
      await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThan(points);
      expect(await corpusName(page)).toBe('The quick brown fox');
      // …and it is the same run, extended, not a new one.
      expect(await page.getByTestId('run-row').count()).toBe(1);
      await page.getByTestId('train-pause').click();
    });
  }, 240_000);

  it('exports to files and loads them back; corrupt, truncated and foreign files are refused and change nothing', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=100000', async (page) => {
      await ready(page);
      const step = await trainAndPause(page, 4);
      const downloads: string[] = [];
      page.on('download', async (d) => {
        const to = path.join(dir, d.suggestedFilename());
        await d.saveAs(to);
        downloads.push(to);
      });
      await page.getByTestId('checkpoint-export').click();
      await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
      const json = downloads.find((f) => f.endsWith('.json'))!;
      const bin = downloads.find((f) => f.endsWith('.bin'))!;
      // Train on, then load the files: back at the exported step.
      await page.getByTestId('resume').click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(step + 2);
      await page.getByTestId('train-pause').click();
      await expect.poll(() => page.getByTestId('train-start').isVisible(), { timeout: 30_000 }).toBe(true);
      await page.getByTestId('checkpoint-file').setInputFiles([json, bin]);
      const confirm = page.getByTestId('confirm');
      await expect.poll(() => confirm.isVisible(), { timeout: 10_000 }).toBe(true);
      // The question names what comes instead: the file's model, not random weights.
      expect(await page.getByTestId('confirm-body').innerText()).toMatch(
        new RegExp(`The model in “${path.basename(json).replace(/[.]/g, '\\.')}” replaces it\\.$`),
      );
      await confirm.click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(step);

      const good = JSON.parse(readFileSync(json, 'utf8'));
      const weights = readFileSync(bin);
      const cases: [string, string, Buffer, RegExp][] = [
        ['garbage', '{ not json', weights, /not valid JSON/i],
        ['truncated', JSON.stringify(good), weights.subarray(0, weights.length >> 1), /weights|size|bytes|truncated/i],
        ['future', JSON.stringify({ ...good, modelTopology: { ...good.modelTopology, version: 99 } }), weights, /version/i],
        ['foreign', JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [] }), weights, /Folio|checkpoint/i],
      ];
      for (const [name, text, bytes, why] of cases) {
        const j = path.join(dir, `${name}.json`);
        const b = path.join(dir, `${name}.weights.bin`);
        writeFileSync(j, text);
        writeFileSync(b, bytes);
        await page.getByTestId('checkpoint-file').setInputFiles([j, b]);
        // Said next to "Load from files", not at the top of the page.
        await expect.poll(() => page.getByTestId('checkpoint-error').innerText(), { timeout: 30_000 }).toMatch(why);
        expect(await page.getByTestId('error').count()).toBe(0);
        expect(await stepOf(page)).toBe(step);
        expect(await corpusName(page)).toBe('The quick brown fox');
        await page.getByTestId('checkpoint-error').getByRole('button').click(); // dismiss
      }
      // The model still answers.
      const p = Number(await page.getByTestId('next-word').first().getAttribute('data-prob'));
      expect(p).toBeGreaterThan(0);
    });
  }, 240_000);

  it('a learning rate of 10 blows up: training pauses, says why, and the model still works', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=5000&lr=10', async (page) => {
      await ready(page);
      await page.getByTestId('train-start').click();
      await expect.poll(() => page.getByTestId('train-error').innerText(), { timeout: 60_000 }).toMatch(/learning rate \(10\) is probably too high/);
      expect(await page.getByTestId('train-start').isVisible()).toBe(true); // not training any more
      await expect.poll(async () => Number(await page.getByTestId('next-word').first().getAttribute('data-prob')), { timeout: 30_000 }).toBeGreaterThan(0);
      const probs = await page.getByTestId('next-word').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-prob'))));
      expect(probs.every(Number.isFinite)).toBe(true);

      // The advice works. Back at step 0 it says "press Train again": with 0.01 typed, that trains.
      const lr = page.getByTestId('learning-rate');
      expect(await page.getByTestId('train-error').innerText()).toMatch(/press Train again/);
      await lr.fill('0.01');
      await lr.press('Enter');
      await page.getByTestId('train-start').click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(8);
      await page.getByTestId('train-pause').click();
      await expect.poll(() => page.getByTestId('train-start').isVisible(), { timeout: 30_000 }).toBe(true);
      // Mid-run, 10 typed and Resume pressed: it blows up, goes back to good weights (not step 0) and says "press Resume"…
      await lr.fill('10');
      await lr.press('Enter');
      await page.getByTestId('resume').click();
      await expect.poll(() => page.getByTestId('train-error').innerText(), { timeout: 60_000 }).toMatch(/press Resume/);
      const blewUpAt = Number(/at step ([\d,]+)/.exec(await page.getByTestId('train-error').innerText())![1]!.replace(/,/g, ''));
      expect(await stepOf(page)).toBeGreaterThan(0);
      // …and Resume with 0.01 typed goes on past the step that blew up, with a finite loss, at the typed peak.
      await lr.fill('0.01');
      await lr.press('Enter');
      await page.getByTestId('resume').click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(blewUpAt + 5);
      await page.getByTestId('train-pause').click();
      await expect.poll(() => page.getByTestId('train-start').isVisible(), { timeout: 30_000 }).toBe(true);
      const loss = Number(await page.getByTestId('train-loss').innerText());
      expect(Number.isFinite(loss) && loss < 10).toBe(true);
      expect(Number(await page.getByTestId('learning-rate-used').getAttribute('data-value'))).toBeLessThanOrEqual(0.01);
    });
  }, 180_000);

  it('a 50 MB paste is refused at once, and the corpus stays', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny', async (page) => {
      await ready(page);
      // What a person's Ctrl+V of 50 MB delivers: a paste event carrying the text.
      await page.getByTestId('corpus-paste').evaluate((el) => {
        const data = new DataTransfer();
        data.setData('text/plain', 'lorem ipsum '.repeat(4_200_000));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      await expect.poll(() => page.getByTestId('corpus-error').innerText(), { timeout: 10_000 }).toMatch(/larger than 10 MB/);
      expect(await corpusName(page)).toBe('The quick brown fox');
      expect(await page.getByTestId('corpus-paste').inputValue()).toBe(''); // never put in the box
    });
  }, 120_000);

  it('a crashed worker is restarted and the model reloaded from its last save', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=100000', async (page) => {
      await ready(page);
      const step = await trainAndPause(page, 4);
      const [worker] = page.workers();
      await worker!.evaluate(() =>
        setTimeout(() => {
          throw new Error('simulated crash');
        }),
      );
      await expect
        .poll(() => page.getByTestId('error').innerText(), { timeout: 30_000 })
        .toMatch(new RegExp(`crashed .*simulated crash.*reloaded from its last save, step ${step}`));
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(step);
      expect(await corpusName(page)).toBe('The quick brown fox');
    });
  }, 180_000);

  it('a bundled checkpoint that fails to load: fresh random weights, and the page says why', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await page.route(/weights[^/]*\.bin$/, (r) =>
        r.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('not weights at all') }),
      );
      await page.reload();
      await ready(page);
      await expect
        .poll(() => page.getByTestId('error').innerText(), { timeout: 30_000 })
        .toMatch(/bundled trained model could not be loaded \(.+\), so this model starts from random weights/);
      expect(await page.getByTestId('fresh-model').isVisible()).toBe(true);
      expect(await corpusName(page)).toBe('The quick brown fox');
      await page.getByRole('button', { name: /one step/i }).click();
      await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBe(1);
    });
  }, 120_000);

  it('a checkpoint exported while training is named after its own step', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=100000', async (page) => {
      await ready(page);
      await page.getByTestId('train-start').click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(20);
      const downloads: string[] = [];
      page.on('download', async (d) => {
        const to = path.join(dir, `running-${d.suggestedFilename()}`);
        await d.saveAs(to);
        downloads.push(to);
      });
      await page.getByTestId('checkpoint-export').click();
      await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
      const json = downloads.find((f) => f.endsWith('.json'))!;
      const step = JSON.parse(readFileSync(json, 'utf8')).modelTopology.step as number;
      expect(step).toBeGreaterThan(20);
      for (const f of downloads) expect(path.basename(f)).toContain(`-step${step}.`);
      await page.getByTestId('train-pause').click();
    });
  }, 120_000);

  it('in Portuguese, a refused corpus, a diverged loss and a full storage are said in Portuguese, with no English sentence', async () => {
    const english = /\b(the|this|is|was|and|file|text|training|model|storage|loss)\b/i;
    await withPage('corpus=fox&preset=tiny&steps=500&lang=pt&lr=10', async (page) => {
      // automatic: WebGPU and WebGL are skipped, with reasons
      await ready(page);
      // The tab and the backend badge, with why the other backends were skipped.
      expect(await page.title()).toMatch(/treina no seu navegador/);
      const badge = page.getByTestId('backend');
      expect(await badge.innerText()).toMatch(/wasm \(CPU\) — \d linhas? de execução/);
      await badge.click();
      const skipped = page.getByTestId('backend-skipped');
      expect(await skipped.innerText()).not.toMatch(english);
      await badge.click();
      // Numbers in Portuguese form everywhere: "9,4%" and "12.345", never "9.4%" beside "108.290".
      const bars = await page.locator('.bar-value').allInnerTexts();
      expect(bars.length).toBeGreaterThan(0);
      for (const v of bars) expect(v).toMatch(/^(<?\d+(,\d)?%|–)$/);
      expect(bars.join(' ')).toMatch(/\d%/);
      expect(await page.getByTestId('param-count').innerText()).toMatch(/^\d{1,3}(\.\d{3})+$/);
      // The bundled corpora's names in Portuguese (Tiny Shakespeare stays a name).
      expect(await page.getByTestId('corpus-name').innerText()).toBe('A rápida raposa marrom');
      expect((await page.getByTestId('corpus-select').locator('option').allInnerTexts()).join(' · ')).not.toMatch(english);
      // A refused corpus (binary), checked in the worker.
      const bin = path.join(dir, 'pt-binary.bin');
      writeFileSync(bin, Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0x14, 0]));
      await page.getByTestId('corpus-file').setInputFiles(bin);
      const corpusError = page.getByTestId('corpus-error');
      await expect.poll(() => corpusError.innerText(), { timeout: 30_000 }).toMatch(/binário/);
      expect(await corpusError.innerText()).not.toMatch(english);
      // Storage full: every IndexedDB write in the worker fails as a full disk does.
      const worker = page.workers().find((w) => !/gemmWorker/.test(w.url()))!;
      await worker.evaluate(() => {
        const g = self as unknown as { folioPut?: typeof IDBObjectStore.prototype.put };
        g.folioPut = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = () => {
          throw new DOMException('quota', 'QuotaExceededError');
        };
      });
      await page.getByRole('button', { name: /um passo/i }).click();
      const banner = page.getByTestId('error');
      await expect.poll(() => banner.innerText(), { timeout: 60_000 }).toMatch(/armazenamento do navegador está cheio/);
      expect(await banner.innerText()).not.toMatch(english);
      await worker.evaluate(() => {
        IDBObjectStore.prototype.put = (self as unknown as { folioPut: typeof IDBObjectStore.prototype.put }).folioPut;
      });
      await page.getByRole('button', { name: 'Fechar' }).click();
      // A learning rate of 10 (from the URL) on "Train from scratch": the loss blows up, training pauses, the banner says so.
      await page.getByTestId('train-start').click();
      const diverged = page.getByTestId('train-error'); // said in the training panel, under its buttons
      await expect.poll(() => diverged.innerText(), { timeout: 60_000 }).toMatch(/A perda chegou a/);
      expect(await diverged.innerText()).not.toMatch(english);
    });
  }, 180_000);
});
