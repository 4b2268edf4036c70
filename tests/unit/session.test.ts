import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/worker/backend';
import type { FromWorker, SavedHistory, SessionConfig, ToWorker } from '../../src/worker/protocol';
import { Session } from '../../src/worker/session';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const corpus = { name: 'fox.txt', text: readCorpus('fox.txt').slice(0, 30_000) };
const config = (over: Partial<SessionConfig> = {}): SessionConfig => {
  const { vocabSize: _v, ...model } = tinyConfig(1);
  return {
    model,
    train: tinyTrain({ logEvery: 1, evalInterval: 4 }),
    tokenizer: { kind: 'char', vocabSize: 0 },
    corpus,
    targetSteps: 8,
    sampleEvery: 4,
    sampleTokens: 10,
    ...over,
  };
};

/** A session with a fake `post` that records every message. */
function harness(extra: Partial<ConstructorParameters<typeof Session>[0]> = {}) {
  const sent: FromWorker[] = [];
  const waiters: { pred: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];
  const session = new Session({
    post: (m) => {
      sent.push(m);
      if (process.env.DBG) console.log(JSON.stringify(m).slice(0, 160));
      for (const w of [...waiters]) if (w.pred(m)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(m);
    },
    chooseBackend: async () => ({ name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }),
    ...extra,
  });
  const next = <T extends FromWorker['type']>(type: T, pred: (m: Extract<FromWorker, { type: T }>) => boolean = () => true) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve) =>
      waiters.push({ pred: (m) => m.type === type && pred(m as Extract<FromWorker, { type: T }>), resolve: resolve as (m: FromWorker) => void }),
    );
  const send = (m: ToWorker) => session.handle(m);
  const of = <T extends FromWorker['type']>(type: T) => sent.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  /** Run `count` steps and wait until the session has paused after them. */
  const steps = async (count: number) => {
    const paused = next('progress', (m) => m.state === 'paused');
    await send({ type: 'step', count });
    return paused;
  };
  return { session, sent, next, send, of, steps };
}

/** An io handler map standing in for IndexedDB; `full` makes every save fail like a full disk. */
function memoryStorage() {
  const saved = new Map<string, tf.io.ModelArtifacts>();
  const state = { full: false };
  const storage = (key: string): tf.io.IOHandler => ({
    save: async (a) => {
      if (state.full) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      saved.set(key, a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
    load: async () => {
      const a = saved.get(key);
      if (!a) throw new Error('nothing saved');
      return a;
    },
  });
  return { saved, state, storage };
}

describe('worker session (fake post)', () => {
  it('configures, steps, trains to the target with deltas, evals and samples', async () => {
    const h = harness();
    await h.send({ type: 'init', backend: 'auto' });
    await h.send({ type: 'configure', config: config() });
    const ready = h.of('ready')[0]!;
    expect(ready.model.vocabSize).toBeGreaterThan(20);
    expect(ready.model.paramCount).toBeGreaterThan(1000);
    expect(ready.model.step).toBe(0);

    const paused = h.next('progress', (m) => m.state === 'paused');
    await h.send({ type: 'step', count: 2 });
    expect((await paused).step).toBe(2);

    const done = h.next('progress', (m) => m.state === 'done');
    await h.send({ type: 'start' });
    expect((await done).step).toBe(8);
    // Loss points arrive as deltas: every step exactly once, in order.
    const steps = h.of('progress').flatMap((m) => m.losses.map((l) => l.step));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.of('eval').map((m) => m.result.step)).toEqual([4, 8]);
    expect(h.of('sample').map((m) => m.step)).toEqual([4, 8]);
    expect(h.of('sample')[0]!.text.length).toBeGreaterThan(0);
    await h.send({ type: 'start' });
    expect(h.of('error').at(-1)!.message).toMatch(/target of 8 steps/);
  });

  it('pauses between steps and resumes', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ targetSteps: 1000 }) });
    await h.send({ type: 'start' });
    await h.next('progress', (m) => m.step >= 3);
    await h.send({ type: 'pause' });
    const held = await h.next('progress', (m) => m.state === 'paused');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.of('progress').at(-1)!.step).toBe(held.step); // nothing moves while paused
    await h.send({ type: 'resume' });
    await h.next('progress', (m) => m.step >= held.step + 2);
    await h.send({ type: 'pause' });
    await h.next('progress', (m) => m.state === 'paused');
  });

  it('answers only the newest of several prediction requests', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config() });
    await Promise.all([1, 2, 3].map((requestId) => h.send({ type: 'predict', requestId, prompt: `The quick brown fox ${requestId}` })));
    await h.next('prediction', (m) => m.requestId === 3);
    await new Promise((r) => setTimeout(r, 50));
    const answered = h.of('prediction').map((m) => m.requestId);
    expect(answered.at(-1)).toBe(3);
    expect(answered).not.toContain(2);
    const p = h.of('prediction').at(-1)!.prediction;
    expect(p.words.reduce((s, w) => s + w.p, 0)).toBeLessThanOrEqual(1);
  });

  it('answers a prediction while training, within a step', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ targetSteps: 1000 }) });
    await h.send({ type: 'start' });
    await h.next('progress', (m) => m.step >= 2);
    const before = h.of('progress').at(-1)!.step;
    const pending = h.next('prediction');
    await h.send({ type: 'predict', requestId: 9, prompt: 'The lazy' });
    const answer = await pending;
    expect(answer.step - before).toBeLessThanOrEqual(2);
    await h.send({ type: 'pause' });
    await h.next('progress', (m) => m.state === 'paused');
  });

  it('rejects a bad corpus with a message and keeps the working model', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config() });
    await h.steps(2);
    await h.send({ type: 'configure', config: config({ corpus: { name: 'empty.txt', text: '   \n ' } }) });
    expect(h.of('error').at(-1)).toMatchObject({ scope: 'configure', message: expect.stringMatching(/only spaces/) });
    await h.send({ type: 'configure', config: config({ model: { ...config().model, nEmbd: 15 } }) });
    expect(h.of('error').at(-1)!.message).toMatch(/divisible/);
    // Well-formed, but no tab could hold it (a link or the CLI can ask for it): refused before any weight is made.
    await h.send({ type: 'configure', config: config({ model: { nLayer: 48, nHead: 16, nEmbd: 2048, blockSize: 4096, dropout: 0.1 } }) });
    expect(h.of('error').at(-1)!.message).toMatch(/cannot train in a browser tab/);
    expect(h.of('ready')).toHaveLength(1);
    const answer = h.next('prediction');
    await h.send({ type: 'predict', requestId: 1, prompt: 'The' });
    expect((await answer).step).toBe(2);
  });

  it('keeps tensors constant across steps and predictions, and frees everything on reconfigure', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ targetSteps: 100, sampleEvery: 0 }) });
    await h.steps(3); // warm-up: optimizer moments and the two fall-back weight copies exist now
    await h.send({ type: 'memory', requestId: 1 });
    const base = h.of('memory').at(-1)!.numTensors;
    expect((await h.steps(10)).step).toBe(13);
    for (let i = 0; i < 5; i++) {
      const answer = h.next('prediction', (m) => m.requestId === 10 + i);
      await h.send({ type: 'predict', requestId: 10 + i, prompt: 'The cat' });
      await answer;
    }
    await h.send({ type: 'memory', requestId: 2 });
    expect(h.of('memory').at(-1)!.numTensors).toBe(base);
    await h.send({ type: 'reset' });
    await h.steps(3);
    await h.send({ type: 'memory', requestId: 3 });
    expect(h.of('memory').at(-1)!.numTensors).toBe(base); // the old model, optimizer and copies were freed
  });

  it('exports a checkpoint and loads it back at the same step', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config() });
    await h.steps(3);
    await h.send({ type: 'save', requestId: 1, target: { kind: 'export' } });
    const saved = h.of('saved')[0]!;
    expect(saved.files!.weights.byteLength).toBeGreaterThan(1000);
    const first = h.next('prediction');
    await h.send({ type: 'predict', requestId: 2, prompt: 'The quick' });
    const before = (await first).prediction;
    await h.send({ type: 'reset' });
    await h.send({ type: 'load', requestId: 3, source: { kind: 'files', files: saved.files! } });
    expect(h.of('loaded')[0]!.model.step).toBe(3);
    const again = h.next('prediction', (m) => m.requestId === 4);
    await h.send({ type: 'predict', requestId: 4, prompt: 'The quick' });
    expect((await again).prediction.tokens).toEqual(before.tokens);
    await h.send({ type: 'load', requestId: 5, source: { kind: 'files', files: { json: '{"nope":1}', weights: new ArrayBuffer(8) } } });
    expect(h.of('error').at(-1)).toMatchObject({ scope: 'checkpoint', requestId: 5 });
  });

  it('decodes a file’s bytes in the worker; a rejected file leaves the working model as it was', async () => {
    const h = harness();
    const good = new TextEncoder().encode(corpus.text).buffer as ArrayBuffer;
    await h.send({ type: 'configure', config: config({ corpus: { name: 'mine.txt', text: '' } }), corpusBytes: good });
    const ready = h.of('ready')[0]!.model;
    expect(ready).toMatchObject({ corpusName: 'mine.txt', corpusChars: corpus.text.length });
    expect(ready.snippet.join('')).toBe(corpus.text.slice(0, ready.snippet.length)); // char tokens spell the start
    await h.steps(2);
    for (const bytes of [new Uint8Array([0x41, 0, 0x42, 0]), new Uint8Array([0xff, 0xfe, 0x41, 0]), new Uint8Array(0)]) {
      await h.send({ type: 'configure', config: config({ corpus: { name: 'bad.txt', text: '' } }), corpusBytes: bytes.buffer as ArrayBuffer });
      expect(h.of('error').at(-1)).toMatchObject({ scope: 'configure' });
    }
    expect(h.of('ready')).toHaveLength(1); // no new model was announced
    const answer = h.next('prediction');
    await h.send({ type: 'predict', requestId: 9, prompt: 'The quick' });
    expect((await answer).step).toBe(2); // the trained model is still there
  });

  it('"Train from scratch" with another number of steps spans the cosine over the new run', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config() });
    const ready = h.next('ready');
    await h.send({ type: 'reset', decaySteps: 4000, learningRate: 3e-3 });
    const { train } = (await ready).model;
    expect(train.decaySteps).toBe(4000);
    expect(train.learningRate).toBe(3e-3);
    expect(train.scheduleFrom).toBeUndefined();
  });

  it('raises the target of a finished run so it can go on', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ targetSteps: 2, sampleEvery: 0 }) });
    const done = h.next('progress', (m) => m.state === 'done');
    await h.send({ type: 'start' });
    expect((await done).step).toBe(2);
    await h.send({ type: 'start' });
    expect(h.of('error').at(-1)!.message).toMatch(/reached its target of 2/);
    const paused = h.next('progress', (m) => m.targetSteps === 4);
    await h.send({ type: 'target', steps: 4 });
    expect((await paused).state).toBe('paused');
    const again = h.next('progress', (m) => m.state === 'done');
    await h.send({ type: 'resume' });
    expect((await again).step).toBe(4);
    await h.send({ type: 'target', steps: 0 });
    expect(h.of('error').at(-1)!.message).toMatch(/whole number/);
  });

  it('loads the bundled pre-trained fox checkpoint (made by the CLI) with the page’s session, and it knows the lazy dog', async () => {
    const dir = new URL('../../corpus/pretrained/fox-nano/', import.meta.url);
    const json = readFileSync(new URL('model.json', dir), 'utf8');
    const bin = readFileSync(new URL('weights.bin', dir));
    const weights = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
    const h = harness();
    const fox = { name: 'The quick brown fox', text: readCorpus('fox.txt') };
    await h.send({ type: 'load', requestId: 1, source: { kind: 'files', files: { json, weights }, session: config({ corpus: fox, targetSteps: 1000 }) } });
    const model = h.of('loaded')[0]!.model;
    expect(model).toMatchObject({ step: 600, corpusName: 'The quick brown fox', targetSteps: 1000 });
    // A planned run shorter than the checkpoint's steps counts as finished there.
    await h.send({ type: 'load', requestId: 3, source: { kind: 'files', files: { json, weights }, session: config({ corpus: fox, targetSteps: 400 }) } });
    expect(h.of('loaded')[1]!.model).toMatchObject({ step: 600, targetSteps: 600 });
    expect(model.config).toMatchObject({ nLayer: 2, nHead: 4, nEmbd: 64, blockSize: 32 });
    const answer = h.next('prediction');
    await h.send({ type: 'predict', requestId: 2, prompt: 'The quick brown fox jumps over the lazy', track: 'dog' });
    const { prediction } = await answer;
    expect(prediction.words[0]!.word).toBe('dog');
    // The beam drops branches under 1e-4, so it may count a hair less than the direct product.
    expect(prediction.tracked!.p).toBeCloseTo(prediction.words[0]!.p, 3);
    expect(prediction.tracked!.p).toBeGreaterThan(0.4);
  });
});

describe('backend chooser in Node', () => {
  it('falls back past webgpu and webgl with reasons, and honours an explicit choice', async () => {
    const auto = await chooseBackend('auto');
    expect(auto.name).toBe('wasm');
    expect(auto.skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    expect(auto.skipped[0]!.reason).toMatch(/no WebGPU/);
    const cpu = await chooseBackend('cpu');
    expect(cpu).toMatchObject({ name: 'cpu', skipped: [], requested: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('nothing lost (fake post, memory storage)', () => {

  it('autosaves on pause with the loss history, and a new session resumes at the same step with the same curves', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.send({ type: 'configure', config: config({ targetSteps: 20, sampleEvery: 3 }) });
    const onPause = h.next('autosaved', (m) => m.step === 6);
    await h.steps(6);
    expect(await onPause).toMatchObject({ key: 'auto', step: 6, corpusName: 'fox.txt' });
    const losses = h.of('progress').flatMap((p) => p.losses);
    expect(losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);

    const again = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await again.send({ type: 'load', requestId: 1, source: { kind: 'indexeddb', key: 'auto' } });
    const loaded = again.of('loaded')[0]!;
    expect(loaded.model.step).toBe(6);
    const history = loaded.history as { losses: { step: number; loss: number }[]; evals: unknown[]; samples: { step: number }[] };
    expect(history.losses).toEqual(losses);
    expect(history.evals).toHaveLength(1); // evalInterval 4
    expect(history.samples.map((x) => x.step)).toEqual([3, 6]);
    // Both continue identically: same weights, same optimizer state, same batches.
    await h.steps(2);
    await again.steps(2);
    const tail = (x: typeof h) => x.of('progress').flatMap((p) => p.losses).slice(-2);
    expect(tail(again)).toEqual(tail(h));
  });

  it('keeps training when the storage is full, and says so', async () => {
    const mem = memoryStorage();
    mem.state.full = true;
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.send({ type: 'configure', config: config({ targetSteps: 20 }) });
    const said = h.next('error');
    await h.steps(3);
    expect((await said).message).toMatch(/storage is full.*Training goes on/);
    expect(h.of('autosaved')).toHaveLength(0);
    await h.steps(2);
    expect(h.of('progress').at(-1)!.step).toBe(5);
  });

  it('a NaN loss pauses training and puts back the last good weights', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ targetSteps: 40, sampleEvery: 0 }) });
    await h.steps(5);
    const good = h.next('prediction');
    await h.send({ type: 'predict', requestId: 1, prompt: 'The quick' });
    const before = (await good).prediction.tokens;
    // Poison the weights as a far too high learning rate would.
    const live = (h.session as unknown as { live: { model: { named: { variable: tf.Variable }[] } } }).live;
    live.model.named[0]!.variable.assign(tf.fill(live.model.named[0]!.variable.shape, NaN));
    const paused = h.next('progress', (m) => m.state === 'paused');
    await h.send({ type: 'step', count: 3 });
    const p = await paused;
    expect(h.of('error').at(-1)!.message).toMatch(/loss became NaN.*went back to step 4.*learning rate.*press Resume\./);
    expect(p.step).toBe(4); // the last step whose weights gave a finite next loss
    const after = h.next('prediction');
    await h.send({ type: 'predict', requestId: 2, prompt: 'The quick' });
    const restored = (await after).prediction.tokens;
    expect(restored.every((t) => Number.isFinite(t.p) && t.p > 0)).toBe(true);
    expect(before.every((t) => Number.isFinite(t.p))).toBe(true);
    await h.steps(2); // and it trains on from there
    expect(h.of('progress').at(-1)!.step).toBe(6);
  });

  it('a learning rate of 10 blows the loss up (finite but huge): caught the same way', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ targetSteps: 40, sampleEvery: 0 }) });
    const said = h.next('error');
    await h.send({ type: 'reset', learningRate: 10 });
    await h.send({ type: 'step', count: 20 });
    expect((await said).message).toMatch(/loss became [\d,]+ \(guessing at random scores \d\.\d\).*learning rate \(10\) is probably too high/);
    const answer = h.next('prediction');
    await h.send({ type: 'predict', requestId: 1, prompt: 'The quick' });
    expect((await answer).prediction.tokens.every((t) => Number.isFinite(t.p))).toBe(true);
  });

  it('when the backend fails mid-run, switches backend and resumes from the last save', async () => {
    const mem = memoryStorage();
    const asked: string[][] = [];
    const h = harness({
      storage: mem.storage,
      autosaveKey: 'auto',
      chooseBackendExcept: async (failed) => {
        asked.push([...failed]);
        return { name: 'cpu', label: 'CPU (fallback)', skipped: [], requested: 'auto' };
      },
    });
    await h.send({ type: 'configure', config: config({ targetSteps: 30, sampleEvery: 0 }) });
    const saved = h.next('autosaved', (m) => m.step === 4);
    await h.steps(4);
    await saved; // the save made when it paused
    const trainingAgain = h.next('progress', (m) => m.state === 'running');
    await h.send({ type: 'step', count: 20 });
    await trainingAgain;
    let failedOver = false;
    const ready = h.next('ready', () => (failedOver = true));
    const resumed = h.next('progress', (m) => failedOver && m.state === 'running' && m.step > 4);
    await h.session.backendFailed('the GPU device was lost: test');
    expect((await ready).model.step).toBe(4); // back at the last save
    expect((await resumed).step).toBeGreaterThanOrEqual(5); // and training by itself again (progress is throttled)
    expect(asked).toEqual([['cpu']]);
    expect(h.of('error').at(-1)!.message).toMatch(/cpu failed during training \(the GPU device was lost: test\)\. Switched to cpu and resumed from the last save, step 4/);
    const paused = h.next('progress', (m) => m.state === 'paused');
    await h.send({ type: 'pause' });
    expect((await paused).step).toBeGreaterThanOrEqual(5);
  });
});

describe('pause, pressed at any moment', () => {
  /** Counter, autosave and loss history agree on one step once the session is at rest. */
  async function agreeAtRest(h: ReturnType<typeof harness>): Promise<number> {
    await new Promise((r) => setTimeout(r, 300)); // nothing may start again by itself
    const last = h.of('progress').at(-1)!;
    expect(last.state).not.toBe('running');
    // The chart as the page's store keeps it: emptied by `ready`, refilled by `loaded`,
    // cut back when the step goes back, extended by each progress message's points.
    let chart: number[] = [];
    for (const m of h.sent) {
      if (m.type === 'ready') chart = [];
      else if (m.type === 'loaded') chart = (m.history?.losses ?? []).map((l) => l.step);
      else if (m.type === 'progress') chart = chart.filter((s) => s <= m.step).concat(m.losses.map((l) => l.step));
    }
    expect(chart).toEqual(Array.from({ length: last.step }, (_, i) => i + 1)); // one point per step
    const saved = h.of('autosaved').at(-1);
    if (saved) expect(saved.step).toBe(last.step);
    expect(h.of('progress').at(-1)).toBe(last);
    return last.step;
  }

  it('right after "Train from scratch" (reset, target, start, pause sent together): no step is taken', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.send({ type: 'configure', config: config({ targetSteps: 50, sampleEvery: 0 }) });
    await h.steps(3);
    const sentBefore = h.sent.length;
    await Promise.all([h.send({ type: 'reset' }), h.send({ type: 'target', steps: 50 }), h.send({ type: 'start' }), h.send({ type: 'pause' })]);
    expect(h.sent.slice(sentBefore).some((m) => m.type === 'progress' && m.state === 'running')).toBe(false);
    const last = h.of('progress').at(-1)!;
    expect(last.step).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.of('progress').at(-1)!.step).toBe(0);
    // …and Resume then trains as usual.
    await h.steps(2);
    expect(await agreeAtRest(h)).toBe(2);
  });

  it('while a prediction is being computed', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.send({ type: 'configure', config: config({ targetSteps: 500, sampleEvery: 0 }) });
    const running = h.next('progress', (m) => m.state === 'running');
    await h.send({ type: 'start' });
    await running;
    const answered = h.next('prediction');
    const paused = h.next('progress', (m) => m.state === 'paused');
    await h.send({ type: 'predict', requestId: 1, prompt: 'The quick brown fox', topWords: 5 });
    await h.send({ type: 'pause' });
    await answered;
    const step = (await paused).step;
    expect(step).toBeLessThan(500);
    await expect.poll(() => h.of('autosaved').at(-1)?.step).toBe(step);
    expect(await agreeAtRest(h)).toBe(step);
  });

  it('during a backend switch: the switch finishes, training does not start again', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto', chooseBackendExcept: async () => ({ name: 'cpu', label: 'CPU (fallback)', skipped: [], requested: 'auto' }) });
    await h.send({ type: 'configure', config: config({ targetSteps: 500, sampleEvery: 0 }) });
    await h.steps(4);
    const running = h.next('progress', (m) => m.state === 'running');
    await h.send({ type: 'start' });
    await running;
    const switching = h.session.backendFailed('test');
    await h.send({ type: 'pause' });
    await switching;
    expect(h.of('error').at(-1)!.message).toMatch(/Switched to cpu and resumed from the last save/);
    expect(await agreeAtRest(h)).toBe(h.of('ready').at(-1)!.model.step);
  });
});

describe('fine-tuning in the session', () => {
  it('runs a DPO stage as a job (its own steps and metrics), and a save keeps the stages and the ratings', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.send({ type: 'configure', config: config({ targetSteps: 500, sampleEvery: 0 }) });
    await h.steps(3);
    const ratings = [{ prompt: 'the fox', chosen: ' cat', rejected: ' dog' }]; // short: this model's context is 8
    await h.send({ type: 'feedback', ratings });
    const done = h.next('progress', (m) => m.state === 'done' && m.stage === 'dpo');
    await h.send({ type: 'tune', method: 'dpo', steps: 5, pairs: ratings });
    expect((await done).step).toBe(5);
    const metrics = h.of('tuneProgress').flatMap((m) => m.metrics);
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(metrics.every((m) => Number.isFinite(m.loss) && m.rewardMargin !== undefined)).toBe(true);
    expect(h.of('tuneProgress').at(-1)!.stages.map((s) => [s.kind, s.steps])).toEqual([
      ['pretrain', 3],
      ['dpo', 5],
    ]);
    // Pre-training's curve is untouched by the stage.
    expect(h.of('progress').flatMap((p) => p.losses.map((l) => l.step))).toEqual([1, 2, 3]);
    // A pair with a character the tokenizer never saw is refused with a sentence.
    await h.send({ type: 'tune', method: 'dpo', steps: 5, pairs: [{ prompt: 'fox', chosen: ' ☃', rejected: ' dog' }] });
    expect(h.of('error').at(-1)!.message).toMatch(/cannot encode/);

    const saved = h.next('autosaved');
    await h.send({ type: 'save', requestId: 9, target: { kind: 'indexeddb', key: 'auto' } });
    void saved;
    const again = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await again.send({ type: 'load', requestId: 1, source: { kind: 'indexeddb', key: 'auto' } });
    const loaded = again.of('loaded')[0]!;
    expect(loaded.ratings).toEqual(ratings);
    expect(loaded.stages!.map((s) => s.kind)).toEqual(['pretrain', 'dpo']);
    expect(loaded.stages![1]!.reference).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('a long build shows it is alive', () => {
  it('a BPE tokenizer being built tells the page how far it got (busy), then the model is ready', async () => {
    const h = harness();
    await h.send({ type: 'configure', config: config({ tokenizer: { kind: 'bpe', vocabSize: 512 } }) });
    const busy = h.of('busy');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]).toMatchObject({ what: 'tokenizer', total: 512 });
    expect(busy.every((b) => b.done <= b.total)).toBe(true);
    expect(h.of('ready')).toHaveLength(1);
    expect(h.sent.indexOf(busy[0]!)).toBeLessThan(h.sent.indexOf(h.of('ready')[0]!));
  });
});
