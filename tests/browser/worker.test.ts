/**
 * The training worker in real Chromium, on each backend: the same seed, weights and
 * batches give the cpu backend's losses (computed here in Node), the loss falls, and
 * the worker leaks no tensors.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, TRAIN_PRESETS } from '../../src/config';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import type { BackendName, BackendReport, FromWorker, SessionConfig, ToWorker } from '../../src/worker/protocol';
import { Trainer } from '../../src/train/trainer';
import { backend as useBackend, readCorpus } from '../helpers';
import { devPages } from './chromium';

const corpus = { name: 'fox.txt', text: readCorpus('fox.txt').slice(0, 20_000) };
const train = { ...TRAIN_PRESETS.tiny, logEvery: 1, evalInterval: 1000 };
const config: SessionConfig = {
  model: MODEL_PRESETS.tiny,
  train,
  tokenizer: { kind: 'char', vocabSize: 0 },
  corpus,
  targetSteps: 100,
  sampleEvery: 0,
  sampleTokens: 0,
};

/** The first three losses on the pure-JS cpu backend in Node: the reference. */
async function referenceLosses(): Promise<number[]> {
  await useBackend('cpu');
  const tok = buildTokenizer(corpus.text, config.tokenizer);
  const model = createGPT({ ...config.model, vocabSize: tok.vocabSize }, train.seed);
  const trainer = new Trainer(model, splitTokens(tok.encode(corpus.text), config.model.blockSize), train);
  for (let i = 0; i < 3; i++) trainer.trainStep();
  const losses = (await trainer.readLosses()).map((l) => l.loss);
  trainer.dispose();
  disposeGPT(model);
  return losses;
}

const { url, browser } = devPages({ webgpu: true });
let reference: number[];

beforeAll(async () => {
  reference = await referenceLosses();
}, 180_000);

async function openHarness(): Promise<Page> {
  const page = await browser().newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${url()}tests/browser/harness.html`);
  await page.waitForFunction(() => window.folio?.ready === true);
  return page;
}

const send = (page: Page, msg: ToWorker) => page.evaluate((m) => window.folio.send(m), msg);
const events = (page: Page) => page.evaluate(() => window.folio.log) as Promise<FromWorker[]>;

/** Wait until an event matching `pred` (a function source over `m`) has arrived; return it. */
async function waitFor<T extends FromWorker['type']>(page: Page, type: T, pred = 'true', timeout = 240_000): Promise<Extract<FromWorker, { type: T }>> {
  const handle = await page.waitForFunction(
    ([t, p]) => window.folio.log.find((m) => m.type === t && new Function('m', `return ${p}`)(m)),
    [type, pred] as const,
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as Extract<FromWorker, { type: T }>;
}

/** Ask (a request with this id) and wait for its answer or failure. */
async function ask(page: Page, msg: ToWorker & { requestId: number }): Promise<Extract<FromWorker, { type: 'answer' | 'failed' }>> {
  await send(page, msg);
  const handle = await page.waitForFunction(
    (id) => window.folio.log.find((m) => (m.type === 'answer' || m.type === 'failed') && m.requestId === id),
    msg.requestId,
    { timeout: 240_000, polling: 100 },
  );
  return (await handle.jsonValue()) as Extract<FromWorker, { type: 'answer' | 'failed' }>;
}

async function memory(page: Page, requestId: number): Promise<number> {
  const a = await ask(page, { type: 'memory', requestId } as ToWorker & { requestId: number });
  if (a.type !== 'answer' || a.kind !== 'memory') throw new Error(`memory: ${JSON.stringify(a)}`);
  return a.numTensors;
}

/** Pick the backend and build the model; the model's id. */
async function setUp(page: Page, name: BackendName, cfg: SessionConfig): Promise<{ backend: BackendReport; modelId: string }> {
  const init = await ask(page, { type: 'init', requestId: 101, backend: name });
  if (init.type !== 'answer' || init.kind !== 'init') throw new Error(`init: ${JSON.stringify(init)}`);
  const built = await ask(page, { type: 'configure', requestId: 102, config: cfg });
  if (built.type !== 'answer' || built.kind !== 'configure') throw new Error(`configure: ${JSON.stringify(built)}`);
  expect((await waitFor(page, 'model')).model.id).toBe(built.model.id); // the event and the answer agree
  return { backend: init.backend, modelId: built.model.id };
}

const cases: [BackendName, number][] = [
  ['wasm', 1e-4],
  ['webgl', 5e-3],
  ['webgpu', 1e-4],
];

describe.each(cases)('training in a worker on %s', (name, tolerance) => {
  it(`matches the cpu backend's first 3 losses within ${tolerance}, lowers the loss over 20 steps, leaks nothing`, async () => {
    const page = await openHarness();
    try {
      const { backend: chosen, modelId } = await setUp(page, name, config);
      expect(chosen.name, JSON.stringify(chosen.skipped)).toBe(name);
      expect((await waitFor(page, 'backend')).backend).toEqual(chosen);

      await send(page, { type: 'step', count: 3 });
      await waitFor(page, 'progress', "m.state === 'paused' && m.step === 3");
      const first = (await events(page)).flatMap((m) => (m.type === 'progress' ? m.losses : [])).map((l) => l.loss);
      console.log(`${name} (${chosen.label}): ${first.map((l) => l.toFixed(6)).join(', ')} vs cpu ${reference.map((l) => l.toFixed(6)).join(', ')}`);
      expect(first).toHaveLength(3);
      first.forEach((l, i) => expect(Math.abs(l - reference[i]!), `step ${i + 1}`).toBeLessThan(tolerance));

      const before = await memory(page, 1);
      await send(page, { type: 'step', count: 17 });
      await waitFor(page, 'progress', "m.state === 'paused' && m.step === 20");
      expect(await memory(page, 2)).toBe(before);
      const all = (await events(page)).flatMap((m) => (m.type === 'progress' ? m.losses : []));
      expect(all.map((l) => l.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const last3 = all.slice(-3).reduce((s, l) => s + l.loss, 0) / 3;
      expect(last3).toBeLessThan(first[0]! - 0.2);
      expect((await events(page)).filter((m) => m.type === 'error' || m.type === 'failed')).toEqual([]);
      expect((await events(page)).every((m) => m.type !== 'progress' || m.modelId === modelId)).toBe(true);
    } finally {
      await page.close();
    }
  }, 400_000);
});

describe('a lost WebGPU device', () => {
  it('switches to the next backend and goes on training from the last save, saying so', async () => {
    const page = await openHarness();
    try {
      const { backend: chosen, modelId } = await setUp(page, 'webgpu', { ...config, targetSteps: 400 });
      expect(chosen.name).toBe('webgpu');
      await send(page, { type: 'step', count: 2 });
      const saved = await waitFor(page, 'autosaved', 'm.step === 2'); // the save made when it paused
      expect(saved.modelId).toBe(modelId);
      await send(page, { type: 'resume' });
      await waitFor(page, 'progress', "m.state === 'running'");
      // What a driver reset does: the device goes away under a running training loop.
      await page.workers()[0]!.evaluate(() => (self as unknown as { folioLoseDevice: () => void }).folioLoseDevice());
      const note = await waitFor(page, 'error', "m.scope === 'backend'", 120_000);
      console.log(`device lost → ${note.message}`);
      expect(note.message).toMatch(
        new RegExp(`webgpu failed during training \\(the GPU device was lost.*Switched to (wasm|webgl|cpu) and resumed from the last save, step ${saved.step}`),
      );
      const now = (await events(page)).filter((m) => m.type === 'backend').at(-1)!;
      expect(now.type === 'backend' && now.backend.name).not.toBe('webgpu');
      // The saved model, live again under a new id that names the one it was saved from…
      const restored = await waitFor(page, 'model', `m.model.origin === 'restored'`);
      expect(restored.model).toMatchObject({ parentId: modelId, step: saved.step });
      expect(restored.model.id).not.toBe(modelId);
      // …goes on training by itself on the new backend, from the saved step.
      const after = await waitFor(
        page,
        'progress',
        `m.modelId === '${restored.model.id}' && m.state === 'running' && m.step > ${saved.step} && m.losses.length > 0`,
        120_000,
      );
      expect(after.losses.every((l) => Number.isFinite(l.loss))).toBe(true);
      await send(page, { type: 'pause' } as ToWorker);
    } finally {
      await page.close();
    }
  }, 400_000);
});
