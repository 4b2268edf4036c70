/**
 * The worker's session driven through the protocol's three tables (worker/protocol.ts) with
 * a fake `post`: requests answered by `answer` or `failed` (matched by requestId), commands
 * that answer nothing, events. Tiny models on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/worker/backend';
import type { Answer, Command, Failure, FromWorker, RequestKind, Requests, SessionConfig, ToWorker } from '../../src/worker/protocol';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** (protocol.ts types an empty body as Record<string, never>, which no literal with a `type` satisfies.) */
const PAUSE = { type: 'pause' } as Command;

/** A request in flight: settles with its answer or failure (never, when a newer one of its kind superseded it). */
type Asked<K extends RequestKind> = Promise<Answer<K> | Failure> & {
  requestId: number;
  /** The session has handled the message (answered it, or dropped it). */
  handled: Promise<void>;
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
  const waitFor = (pred: (m: FromWorker) => boolean) => new Promise<FromWorker>((resolve) => waiters.push({ pred, resolve }));
  /** The next event of a type (that `pred` accepts). */
  const next = <T extends FromWorker['type']>(type: T, pred: (m: Extract<FromWorker, { type: T }>) => boolean = () => true) =>
    waitFor((m) => m.type === type && pred(m as Extract<FromWorker, { type: T }>)) as Promise<Extract<FromWorker, { type: T }>>;
  /** A command: resolves once the session has handled it. */
  const send = (m: Command) => session.handle(m);
  let ids = 0;
  /** A request with a fresh requestId. */
  const ask = <K extends RequestKind>(type: K, body: Requests[K]['ask']): Asked<K> => {
    const requestId = ++ids;
    const settled = waitFor((m) => (m.type === 'answer' || m.type === 'failed') && m.requestId === requestId) as Promise<Answer<K> | Failure>;
    const handled = session.handle({ type, requestId, ...body } as ToWorker);
    return Object.assign(settled, { requestId, handled });
  };
  /** The answer of a request that must succeed (else its failure's message). */
  const answer = async <K extends RequestKind>(type: K, body: Requests[K]['ask']): Promise<Answer<K>> => {
    const a = await ask(type, body);
    if (a.type === 'failed') throw new Error(`${type} failed: ${a.message}`);
    return a;
  };
  /** What the session said to request `requestId` so far (answer or failure), if anything. */
  const replyTo = (requestId: number) => sent.find((m) => (m.type === 'answer' || m.type === 'failed') && m.requestId === requestId);
  const of = <T extends FromWorker['type']>(type: T) => sent.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  /** The id of the model the session made live last. */
  const liveId = () => of('model').at(-1)!.model.id;
  /** Run `count` steps and wait until the session has paused after them. */
  const steps = async (count: number) => {
    const paused = next('progress', (m) => m.state === 'paused');
    await send({ type: 'step', count });
    return paused;
  };
  /** Pause a running session and wait until it says so. */
  const pause = async () => {
    const paused = next('progress', (m) => m.state === 'paused');
    await send(PAUSE);
    return paused;
  };
  const memory = async () => (await answer('memory', {})).numTensors;
  /** Wait until the run loop has let go of the model (a finished job's loop winds down after its last progress). */
  const loopIdle = () => expect.poll(() => (session as unknown as { loop: { looping: boolean } }).loop.looping, { timeout: 10_000 }).toBe(false);
  return { session, sent, next, send, ask, answer, replyTo, of, liveId, steps, pause, memory, loopIdle };
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
    expect((await h.answer('init', { backend: 'auto' })).backend.name).toBe('cpu');
    expect(h.of('backend')).toHaveLength(1);
    const { model } = await h.answer('configure', { config: config() });
    expect(h.of('model').map((m) => m.model)).toEqual([model]); // the event and the answer describe the same model
    expect(model.vocabSize).toBeGreaterThan(20);
    expect(model.paramCount).toBeGreaterThan(1000);
    expect(model).toMatchObject({ origin: 'built', step: 0, totalSteps: 0, targetSteps: 8 });
    expect(h.of('model')[0]!.history).toEqual({ losses: [], evals: [], samples: [], elapsedMs: 0 });

    expect((await h.steps(2)).step).toBe(2);

    const done = h.next('progress', (m) => m.state === 'done');
    await h.send({ type: 'resume' });
    expect(await done).toMatchObject({ step: 8, totalSteps: 8, stage: 'pretrain' });
    // Loss points arrive as deltas: every step exactly once, in order.
    const steps = h.of('progress').flatMap((m) => m.losses.map((l) => l.step));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.of('eval').map((m) => m.result.step)).toEqual([4, 8]);
    expect(h.of('sample').map((m) => m.step)).toEqual([4, 8]);
    expect(h.of('sample')[0]!.text.length).toBeGreaterThan(0);
    // Everything said about the run names the model it is about.
    for (const m of [...h.of('progress'), ...h.of('eval'), ...h.of('sample')]) expect(m.modelId).toBe(model.id);
    await h.send({ type: 'resume' });
    expect(h.of('error').at(-1)).toMatchObject({ scope: 'train', message: expect.stringMatching(/target of 8 steps/) });
  });

  it('pauses between steps and resumes', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ targetSteps: 1000 }) });
    await h.send({ type: 'resume' });
    await h.next('progress', (m) => m.step >= 3);
    const held = await h.pause();
    await sleep(100);
    expect(h.of('progress').at(-1)!.step).toBe(held.step); // nothing moves while paused
    await h.send({ type: 'resume' });
    await h.next('progress', (m) => m.step >= held.step + 2);
    await h.pause();
  });

  it('answers only the newest of several prediction requests; the others are never answered', async () => {
    const h = harness();
    const { model } = await h.answer('configure', { config: config() });
    const asked = [1, 2, 3].map((i) => h.ask('predict', { prompt: `The quick brown fox ${i}` }));
    const newest = await asked[2]!;
    await Promise.all(asked.map((a) => a.handled));
    await sleep(50);
    expect(newest).toMatchObject({ type: 'answer', kind: 'predict', modelId: model.id, prompt: 'The quick brown fox 3' });
    const settled = h.sent.flatMap((m) => ((m.type === 'answer' || m.type === 'failed') && m.kind === 'predict' ? [m.requestId] : []));
    expect(settled).toEqual([asked[2]!.requestId]); // no answer, and no failure, for the superseded ones
    const p = newest.type === 'answer' ? newest.prediction : undefined;
    expect(p!.words.reduce((s, w) => s + w.p, 0)).toBeLessThanOrEqual(1);
  });

  it('answers a prediction while training, within a step', async () => {
    const h = harness();
    const { model } = await h.answer('configure', { config: config({ targetSteps: 1000 }) });
    await h.send({ type: 'resume' });
    await h.next('progress', (m) => m.step >= 2);
    const before = h.of('progress').at(-1)!.step;
    const answer = await h.answer('predict', { prompt: 'The lazy' });
    expect(answer.step - before).toBeLessThanOrEqual(2);
    expect(answer.modelId).toBe(model.id);
    await h.pause();
  });

  it('rejects a bad corpus with a message and keeps the working model', async () => {
    const h = harness();
    const { model } = await h.answer('configure', { config: config() });
    await h.steps(2);
    const empty = await h.ask('configure', { config: config({ corpus: { name: 'empty.txt', text: '   \n ' } }) });
    expect(empty).toMatchObject({ type: 'failed', kind: 'configure', scope: 'configure', message: expect.stringMatching(/only spaces/) });
    const odd = await h.ask('configure', { config: config({ model: { ...config().model, nEmbd: 15 } }) });
    expect(odd).toMatchObject({ type: 'failed', message: expect.stringMatching(/divisible/) });
    // Well-formed, but no tab could hold it (a link or the CLI can ask for it): refused before any weight is made.
    const huge = await h.ask('configure', { config: config({ model: { nLayer: 48, nHead: 16, nEmbd: 2048, blockSize: 4096, dropout: 0.1 } }) });
    expect(huge).toMatchObject({ type: 'failed', message: expect.stringMatching(/cannot train in a browser tab/) });
    expect(h.of('model')).toHaveLength(1);
    expect(h.of('error')).toEqual([]); // a request's failure is its answer, not an event
    const answer = await h.answer('predict', { prompt: 'The' });
    expect(answer).toMatchObject({ step: 2, modelId: model.id });
  });

  it('keeps tensors constant across steps and predictions, and frees everything on "Train from scratch"', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ targetSteps: 100, sampleEvery: 0 }) });
    await h.steps(3); // warm-up: optimizer moments and the two fall-back weight copies exist now
    const base = await h.memory();
    expect((await h.steps(10)).step).toBe(13);
    for (let i = 0; i < 5; i++) await h.answer('predict', { prompt: 'The cat' });
    expect(await h.memory()).toBe(base);
    const fresh = await h.answer('trainFromScratch', { steps: 100 });
    await h.pause();
    expect((await h.steps(3)).modelId).toBe(fresh.model.id);
    expect(await h.memory()).toBe(base); // the old model, optimizer and copies were freed
  });

  it('exports a checkpoint and loads it back at the same step', async () => {
    const h = harness();
    const built = (await h.answer('configure', { config: config() })).model;
    await h.steps(3);
    const saved = await h.answer('save', { target: { kind: 'export' } });
    expect(saved).toMatchObject({ modelId: built.id, step: 3 });
    expect(saved.files!.weights.byteLength).toBeGreaterThan(1000);
    const before = (await h.answer('predict', { prompt: 'The quick' })).prediction;
    await h.steps(2); // the live weights move on
    const loaded = (await h.answer('load', { source: { kind: 'files', files: saved.files! } })).model;
    expect(loaded).toMatchObject({ step: 3, totalSteps: 3, origin: 'loaded', parentId: built.id });
    expect(h.of('model').at(-1)!.model).toEqual(loaded);
    const again = await h.answer('predict', { prompt: 'The quick' });
    expect(again.prediction.tokens).toEqual(before.tokens);
    expect(again.modelId).toBe(loaded.id);
    const bad = await h.ask('load', { source: { kind: 'files', files: { json: '{"nope":1}', weights: new ArrayBuffer(8) } } });
    expect(bad).toMatchObject({ type: 'failed', kind: 'load', scope: 'checkpoint' });
    expect(h.liveId()).toBe(loaded.id); // the failed load left the model as it was
  });

  it('decodes a file’s bytes in the worker; a rejected file leaves the working model as it was', async () => {
    const h = harness();
    const good = new TextEncoder().encode(corpus.text).buffer as ArrayBuffer;
    const { model } = await h.answer('configure', { config: config({ corpus: { name: 'mine.txt', text: '' } }), corpusBytes: good });
    expect(model).toMatchObject({ corpusName: 'mine.txt', corpusChars: corpus.text.length });
    expect(model.snippet.join('')).toBe(corpus.text.slice(0, model.snippet.length)); // char tokens spell the start
    await h.steps(2);
    for (const bytes of [new Uint8Array([0x41, 0, 0x42, 0]), new Uint8Array([0xff, 0xfe, 0x41, 0]), new Uint8Array(0)]) {
      const refused = await h.ask('configure', { config: config({ corpus: { name: 'bad.txt', text: '' } }), corpusBytes: bytes.buffer as ArrayBuffer });
      expect(refused).toMatchObject({ type: 'failed', scope: 'configure' });
    }
    expect(h.of('model')).toHaveLength(1); // no new model was announced
    const answer = await h.answer('predict', { prompt: 'The quick' });
    expect(answer).toMatchObject({ step: 2, modelId: model.id }); // the trained model is still there
  });

  it('checks a corpus without touching the model: its length, or why not', async () => {
    const h = harness();
    await h.answer('configure', { config: config() });
    const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
    const ok = await h.answer('checkCorpus', { bytes: bytes(corpus.text), tokenizer: { kind: 'char', vocabSize: 0 }, blockSize: 8 });
    expect(ok.chars).toBe(corpus.text.length);
    const blank = await h.ask('checkCorpus', { bytes: bytes('  \n '), tokenizer: { kind: 'char', vocabSize: 0 }, blockSize: 8 });
    expect(blank).toMatchObject({ type: 'failed', kind: 'checkCorpus', scope: 'configure', message: expect.stringMatching(/only spaces/) });
    expect(h.of('model')).toHaveLength(1);
  });

  it('"Train from scratch" is one message: fresh weights, the cosine spanned over its steps, and training starts', async () => {
    const h = harness();
    const built = (await h.answer('configure', { config: config() })).model;
    await h.steps(2);
    const running = h.next('progress', (m) => m.state === 'running');
    const { model } = await h.answer('trainFromScratch', { steps: 4000, learningRate: 3e-3 });
    expect(model.train.decaySteps).toBe(4000);
    expect(model.train.learningRate).toBe(3e-3);
    expect(model.train.scheduleFrom).toBeUndefined();
    expect(model).toMatchObject({ origin: 'reset', targetSteps: 4000 }); // (taken once training started: a step may be done)
    expect(model.id).not.toBe(built.id);
    // The `model` event describes the fresh model as it was made live: step 0, the run it is made for, no curves.
    const made = h.of('model').at(-1)!;
    expect(made.model).toMatchObject({ id: model.id, origin: 'reset', step: 0, totalSteps: 0, targetSteps: 4000, train: model.train });
    expect(made.history.losses).toEqual([]);
    expect(await running).toMatchObject({ modelId: model.id, targetSteps: 4000 });
    await h.pause();
    expect(await h.ask('trainFromScratch', { steps: 0 })).toMatchObject({ type: 'failed', message: expect.stringMatching(/whole number/) });
    expect(await h.ask('trainFromScratch', { steps: 10, learningRate: -1 })).toMatchObject({
      type: 'failed',
      message: expect.stringMatching(/learning rate must be a positive/),
    });
    expect(h.liveId()).toBe(model.id);
  });

  it('raises the target of a finished run so it can go on', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ targetSteps: 2, sampleEvery: 0 }) });
    const done = h.next('progress', (m) => m.state === 'done');
    await h.send({ type: 'resume' });
    expect((await done).step).toBe(2);
    await h.send({ type: 'resume' });
    expect(h.of('error').at(-1)!.message).toMatch(/reached its target of 2/);
    const paused = h.next('progress', (m) => m.targetSteps === 4);
    await h.send({ type: 'target', steps: 4 });
    expect((await paused).state).toBe('paused');
    const again = h.next('progress', (m) => m.state === 'done');
    await h.send({ type: 'resume' });
    expect((await again).step).toBe(4);
    // Resume with a target: one message sets it and goes on.
    const further = h.next('progress', (m) => m.state === 'done' && m.step === 6);
    await h.send({ type: 'resume', target: 6 });
    expect(await further).toMatchObject({ targetSteps: 6, totalSteps: 6 });
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
    const { model } = await h.answer('load', {
      source: { kind: 'files', files: { json, weights }, session: config({ corpus: fox, targetSteps: 1000 }), origin: 'bundled' },
    });
    expect(model).toMatchObject({ step: 600, totalSteps: 600, corpusName: 'The quick brown fox', targetSteps: 1000, origin: 'bundled' });
    expect(model.parentId).toBeUndefined(); // the CLI's checkpoint names no model it was saved from
    // A planned run shorter than the checkpoint's steps counts as finished there.
    const short = await h.answer('load', { source: { kind: 'files', files: { json, weights }, session: config({ corpus: fox, targetSteps: 400 }) } });
    expect(short.model).toMatchObject({ step: 600, targetSteps: 600, origin: 'loaded' });
    expect(short.model.id).not.toBe(model.id);
    expect(model.config).toMatchObject({ nLayer: 2, nHead: 4, nEmbd: 64, blockSize: 32 });
    const { prediction } = await h.answer('predict', { prompt: 'The quick brown fox jumps over the lazy', track: 'dog' });
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

describe('resume with another learning rate', () => {
  it('goes on from the same weights on a schedule of its own from this step, peaking at the new rate (what the divergence advice asks)', async () => {
    const h = harness();
    await h.answer('init', { backend: 'auto' });
    await h.answer('configure', { config: config({ targetSteps: 40 }) });
    expect((await h.steps(3)).step).toBe(3);
    const id = h.liveId();
    const paused = h.next('progress', (m) => m.state !== 'running' && m.step >= 6);
    await h.send({ type: 'resume', learningRate: 2e-3, target: 6 });
    const p = await paused;
    expect(p.modelId).toBe(id); // the same model, trained on
    expect(p.schedule).toMatchObject({ learningRate: 2e-3, scheduleFrom: 3, decaySteps: 3 });
    expect(p.lr).toBeLessThanOrEqual(2e-3);
    // A rate that is no rate is refused, and nothing changes.
    await h.send({ type: 'resume', learningRate: -1 });
    expect(h.of('error').at(-1)?.notice.code).toBe('lrInvalid');
  });
});

describe('model identity', () => {
  it('every model made live (configure, Train from scratch, load, a fine-tuning stage) gets a new id, and everything about a model carries it', async () => {
    const h = harness();
    const built = (await h.answer('configure', { config: config({ targetSteps: 50, sampleEvery: 2, train: tinyTrain({ logEvery: 1, evalInterval: 2 }) }) }))
      .model;
    expect(built.origin).toBe('built');
    await h.steps(2); // an eval and a sample at step 2
    expect(h.of('eval').map((m) => m.modelId)).toEqual([built.id]);
    expect(h.of('sample').map((m) => m.modelId)).toEqual([built.id]);
    expect(new Set(h.of('progress').map((m) => m.modelId))).toEqual(new Set([built.id]));

    // The answers about the model name it too.
    expect((await h.answer('predict', { prompt: 'The' })).modelId).toBe(built.id);
    expect((await h.answer('attention', { prompt: 'The fox' })).modelId).toBe(built.id);
    expect((await h.answer('samplePair', { prompt: 'The', chars: 12, seed: 1 })).modelId).toBe(built.id);
    expect(await h.answer('predictReference', { prompt: 'The' })).toMatchObject({ modelId: built.id, prediction: null }); // no stage yet
    expect(await h.answer('inside', { ask: { kind: 'lens', prompt: 'The fox' } })).toMatchObject({ modelId: built.id, answer: { kind: 'lens', step: 2 } });
    // Generated tokens stream as events named by the request; the answer closes the stream.
    const gen = h.ask('generate', { prompt: 'The', sample: { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 5, seed: 7 } });
    const generated = await gen;
    expect(generated).toMatchObject({ type: 'answer', kind: 'generate', modelId: built.id, count: 5 });
    const tokens = h.of('generated').filter((m) => m.requestId === gen.requestId);
    expect(tokens).toHaveLength(5);
    expect(h.sent.indexOf(tokens.at(-1)!)).toBeLessThan(h.sent.indexOf(generated as FromWorker)); // every token before the answer
    const saved = await h.answer('save', { target: { kind: 'export' } });
    expect(saved.modelId).toBe(built.id);

    const fresh = (await h.answer('trainFromScratch', { steps: 50 })).model;
    expect(fresh.origin).toBe('reset');
    expect(h.liveId()).toBe(fresh.id);
    expect((await h.pause()).modelId).toBe(fresh.id);

    const loaded = (await h.answer('load', { source: { kind: 'files', files: saved.files! } })).model;
    expect(loaded).toMatchObject({ origin: 'loaded', parentId: built.id, step: 2 });

    const tuned = h.next('model');
    const stageDone = h.next('progress', (m) => m.state === 'done' && m.stage === 'sft');
    await h.send({ type: 'tune', method: 'sft', steps: 2, examples: [{ prompt: 'the fox', completion: ' ran' }] });
    const t = (await tuned).model;
    expect(t).toMatchObject({ origin: 'tuned', parentId: loaded.id, step: 2 });
    expect((await stageDone).modelId).toBe(t.id);
    expect(h.of('tuneProgress').map((m) => m.modelId)).toEqual(h.of('tuneProgress').map(() => t.id));
    expect((await h.answer('predict', { prompt: 'The' })).modelId).toBe(t.id);
    const before = await h.answer('predictReference', { prompt: 'The' });
    expect(before.modelId).toBe(t.id);
    expect(before.prediction?.words.length).toBeGreaterThan(0); // the stage's frozen reference answers now

    // One `model` event per model made live, each with an id of its own, matching the answers.
    expect(h.of('model').map((m) => m.model.id)).toEqual([built.id, fresh.id, loaded.id, t.id]);
    expect(new Set([built.id, fresh.id, loaded.id, t.id]).size).toBe(4);
  });

  it('a saved model comes back as the child of the model it saved, through files and through the autosave', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    const a = (await h.answer('configure', { config: config({ targetSteps: 50, sampleEvery: 0 }) })).model;
    await h.steps(2);
    const first = await h.answer('save', { target: { kind: 'export' } });
    const b = (await h.answer('load', { source: { kind: 'files', files: first.files! } })).model;
    expect(b).toMatchObject({ parentId: a.id, origin: 'loaded' });
    // A save of the loaded model names it, not its parent: the chain goes on.
    await h.steps(1);
    const second = await h.answer('save', { target: { kind: 'export' } });
    expect(second.modelId).toBe(b.id);
    const c = (await h.answer('load', { source: { kind: 'files', files: second.files!, origin: 'forked', learningRate: 1e-3, forkSteps: 20 } })).model;
    expect(c).toMatchObject({ parentId: b.id, origin: 'forked', step: 3 });
    // The autosave of the live model (made when it paused) names it too.
    const autosaved = h.next('autosaved', (m) => m.modelId === c.id);
    await h.steps(1);
    expect(await autosaved).toMatchObject({ step: 4, totalSteps: 4 });
    const again = harness({ storage: mem.storage, autosaveKey: 'auto' });
    const d = (await again.answer('load', { source: { kind: 'indexeddb', key: 'auto', origin: 'resumed' } })).model;
    expect(d).toMatchObject({ parentId: c.id, origin: 'resumed', step: 4 });
    expect(new Set([a.id, b.id, c.id, d.id]).size).toBe(4);
  });

  it('totalSteps counts every step the weights took: pre-training, a fine-tuning stage, and pre-training after it', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.answer('configure', { config: config({ targetSteps: 50, sampleEvery: 0 }) });
    const pauseSaved = h.next('autosaved', (m) => m.step === 4); // (posted after the paused progress)
    expect((await h.steps(4)).totalSteps).toBe(4);
    expect(await pauseSaved).toMatchObject({ step: 4, totalSteps: 4 });
    const tuned = h.next('model');
    const done = h.next('progress', (m) => m.state === 'done' && m.stage === 'sft');
    const stageSaved = h.next('autosaved'); // when the stage ends
    await h.send({ type: 'tune', method: 'sft', steps: 3, examples: [{ prompt: 'the fox', completion: ' ran' }] });
    expect((await tuned).model).toMatchObject({ step: 4, totalSteps: 4 });
    // The stage counts its own steps; totalSteps counts them on top of pre-training's.
    expect(await done).toMatchObject({ step: 3, targetSteps: 3, totalSteps: 7 });
    const during = h.of('progress').filter((m) => m.stage === 'sft');
    expect(during.every((m) => m.totalSteps === 4 + m.step)).toBe(true);
    expect(
      h
        .of('tuneProgress')
        .at(-1)!
        .stages.map((s) => [s.kind, s.steps]),
    ).toEqual([
      ['pretrain', 4],
      ['sft', 3],
    ]);
    expect(await stageSaved).toMatchObject({ step: 4, totalSteps: 7 }); // pre-training's step, every step's count
    await h.loopIdle(); // (a step pressed before that is the race of the test below)
    // Pre-training again after the stage: its steps add up too.
    const pretrainSaved = h.next('autosaved');
    expect(await h.steps(2)).toMatchObject({ stage: 'pretrain', step: 6, totalSteps: 9 });
    expect(await pretrainSaved).toMatchObject({ step: 6, totalSteps: 9 });
    const saved = await h.answer('save', { target: { kind: 'export' } });
    const back = (await h.answer('load', { source: { kind: 'files', files: saved.files! } })).model;
    expect(back.totalSteps).toBe(9);
    expect(back.stages.map((s) => [s.kind, s.steps])).toEqual([
      ['pretrain', 4],
      ['sft', 3],
      ['pretrain', 2],
    ]);
  });

  it('"Train from scratch" followed at once by Pause leaves a fresh model that does not train', async () => {
    const h = harness();
    const built = (await h.answer('configure', { config: config({ targetSteps: 50, sampleEvery: 0 }) })).model;
    await h.steps(3);
    const sentBefore = h.sent.length;
    const fresh = h.ask('trainFromScratch', { steps: 30 });
    await Promise.all([fresh.handled, h.send(PAUSE)]);
    // Answered with the fresh model (not left waiting: the page's watchdog would call that a stall)…
    const reply = h.replyTo(fresh.requestId);
    expect(reply).toMatchObject({ type: 'answer', kind: 'trainFromScratch', model: { origin: 'reset', step: 0, targetSteps: 30 } });
    const id = reply?.type === 'answer' && reply.kind === 'trainFromScratch' ? reply.model.id : '';
    expect(id).not.toBe(built.id);
    expect(h.liveId()).toBe(id);
    // …which holds: no step taken, nothing running.
    await sleep(300);
    expect(h.sent.slice(sentBefore).some((m) => m.type === 'progress' && m.state === 'running')).toBe(false);
    expect(h.of('progress').at(-1)).toMatchObject({ modelId: id, step: 0 });
    expect(h.of('progress').some((m) => m.modelId === id && m.losses.length > 0)).toBe(false);
  });

  it('a superseded prediction is never answered while training, the newest is, with the live id', async () => {
    const h = harness();
    const { model } = await h.answer('configure', { config: config({ targetSteps: 1000, sampleEvery: 0 }) });
    await h.send({ type: 'resume' });
    await h.next('progress', (m) => m.step >= 2);
    const asked = ['The', 'The quick', 'The quick brown'].map((prompt) => h.ask('predict', { prompt }));
    expect(await asked[2]!).toMatchObject({ type: 'answer', modelId: model.id, prompt: 'The quick brown' });
    await h.pause();
    await sleep(100);
    expect(asked.slice(0, 2).map((a) => h.replyTo(a.requestId))).toEqual([undefined, undefined]);
  });
});

describe('nothing lost (fake post, memory storage)', () => {
  it('autosaves on pause with the loss history, and a new session resumes at the same step with the same curves', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    const built = (await h.answer('configure', { config: config({ targetSteps: 20, sampleEvery: 3 }) })).model;
    const onPause = h.next('autosaved', (m) => m.step === 6);
    await h.steps(6);
    expect(await onPause).toMatchObject({ modelId: built.id, key: 'auto', step: 6, totalSteps: 6, corpusName: 'fox.txt' });
    const losses = h.of('progress').flatMap((p) => p.losses);
    expect(losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);

    const again = harness({ storage: mem.storage, autosaveKey: 'auto' });
    const { model } = await again.answer('load', { source: { kind: 'indexeddb', key: 'auto', origin: 'resumed' } });
    expect(model).toMatchObject({ step: 6, origin: 'resumed', parentId: built.id });
    const { history } = again.of('model')[0]!;
    expect(history.losses).toEqual(losses);
    expect(history.evals).toHaveLength(1); // evalInterval 4
    expect(history.samples.map((x) => x.step)).toEqual([3, 6]);
    // Both continue identically: same weights, same optimizer state, same batches.
    await h.steps(2);
    await again.steps(2);
    const tail = (x: typeof h) =>
      x
        .of('progress')
        .flatMap((p) => p.losses)
        .slice(-2);
    expect(tail(again)).toEqual(tail(h));
    expect(again.of('progress').at(-1)!.modelId).toBe(model.id);
  });

  it('keeps training when the storage is full, and says so', async () => {
    const mem = memoryStorage();
    mem.state.full = true;
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.answer('configure', { config: config({ targetSteps: 20 }) });
    const said = h.next('error');
    await h.steps(3);
    expect(await said).toMatchObject({ scope: 'checkpoint', message: expect.stringMatching(/storage is full.*Training goes on/) });
    expect(h.of('autosaved')).toHaveLength(0);
    await h.steps(2);
    expect(h.of('progress').at(-1)!.step).toBe(5);
  });

  it('a NaN loss pauses training and puts back the last good weights', async () => {
    const h = harness();
    const { model } = await h.answer('configure', { config: config({ targetSteps: 40, sampleEvery: 0 }) });
    await h.steps(5);
    const before = (await h.answer('predict', { prompt: 'The quick' })).prediction.tokens;
    // Poison the weights as a far too high learning rate would.
    const live = (h.session as unknown as { live: { model: { named: { variable: tf.Variable }[] } } }).live;
    live.model.named[0]!.variable.assign(tf.fill(live.model.named[0]!.variable.shape, NaN));
    const p = await h.steps(3);
    expect(h.of('error').at(-1)).toMatchObject({
      scope: 'train',
      message: expect.stringMatching(/loss became NaN.*went back to step 4.*learning rate.*press Resume\./),
    });
    expect(p.step).toBe(4); // the last step whose weights gave a finite next loss
    expect(h.liveId()).toBe(model.id); // the same model, rolled back: no new id
    const restored = (await h.answer('predict', { prompt: 'The quick' })).prediction.tokens;
    expect(restored.every((t) => Number.isFinite(t.p) && t.p > 0)).toBe(true);
    expect(before.every((t) => Number.isFinite(t.p))).toBe(true);
    await h.steps(2); // and it trains on from there
    expect(h.of('progress').at(-1)!.step).toBe(6);
  });

  it('a learning rate of 10 blows the loss up (finite but huge): caught the same way', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ targetSteps: 40, sampleEvery: 0 }) });
    const said = h.next('error');
    await h.answer('trainFromScratch', { steps: 40, learningRate: 10 });
    expect((await said).message).toMatch(/loss became [\d,]+ \(guessing at random scores \d\.\d\).*learning rate \(10\) is probably too high/);
    const answer = await h.answer('predict', { prompt: 'The quick' });
    expect(answer.prediction.tokens.every((t) => Number.isFinite(t.p))).toBe(true);
    expect(answer.modelId).toBe(h.liveId()); // rolled back, or fresh weights under a new id: the answer names the live one
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
    await h.answer('init', { backend: 'cpu' });
    const built = (await h.answer('configure', { config: config({ targetSteps: 30, sampleEvery: 0 }) })).model;
    const saved = h.next('autosaved', (m) => m.step === 4);
    await h.steps(4);
    await saved; // the save made when it paused
    const trainingAgain = h.next('progress', (m) => m.state === 'running');
    await h.send({ type: 'step', count: 20 });
    await trainingAgain;
    const restored = h.next('model');
    const resumed = h.next('progress', (m) => m.modelId !== built.id && m.state === 'running' && m.step > 4);
    await h.session.backendFailed('the GPU device was lost: test');
    const model = (await restored).model;
    expect(model).toMatchObject({ step: 4, origin: 'restored', parentId: built.id }); // back at the last save, as its child
    expect(model.id).not.toBe(built.id);
    expect((await resumed).step).toBeGreaterThanOrEqual(5); // and training by itself again (progress is throttled)
    expect(asked).toEqual([['cpu']]);
    expect(h.of('error').at(-1)!.message).toMatch(
      /cpu failed during training \(the GPU device was lost: test\)\. Switched to cpu and resumed from the last save, step 4/,
    );
    const paused = await h.pause();
    expect(paused.step).toBeGreaterThanOrEqual(5);
    expect(paused.modelId).toBe(model.id);
  });
});

describe('pause, pressed at any moment', () => {
  /** Counter, autosave and loss history agree on one step once the session is at rest. */
  async function agreeAtRest(h: ReturnType<typeof harness>): Promise<number> {
    await sleep(300); // nothing may start again by itself
    const last = h.of('progress').at(-1)!;
    expect(last.state).not.toBe('running');
    expect(last.modelId).toBe(h.liveId());
    // The chart as the page's store keeps it: a new model brings its own history, cut back
    // when the step goes back, extended by each progress message's points (of the live model).
    let chart: number[] = [];
    let live = '';
    for (const m of h.sent) {
      if (m.type === 'model') {
        chart = m.history.losses.map((l) => l.step);
        live = m.model.id;
      } else if (m.type === 'progress' && m.modelId === live) chart = chart.filter((s) => s <= m.step).concat(m.losses.map((l) => l.step));
    }
    expect(chart).toEqual(Array.from({ length: last.step }, (_, i) => i + 1)); // one point per step
    const saved = h.of('autosaved').at(-1);
    if (saved) expect(saved.step).toBe(last.step);
    expect(h.of('progress').at(-1)).toBe(last);
    return last.step;
  }

  it('right after "Train from scratch" (trainFromScratch and pause sent together): no step is taken', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.answer('configure', { config: config({ targetSteps: 50, sampleEvery: 0 }) });
    await h.steps(3);
    const sentBefore = h.sent.length;
    const fresh = h.ask('trainFromScratch', { steps: 50 });
    await Promise.all([fresh.handled, h.send(PAUSE)]);
    expect(h.replyTo(fresh.requestId)).toMatchObject({ type: 'answer' });
    expect(h.sent.slice(sentBefore).some((m) => m.type === 'progress' && m.state === 'running')).toBe(false);
    expect(h.of('progress').at(-1)!.step).toBe(0);
    await sleep(300);
    expect(h.of('progress').at(-1)!.step).toBe(0);
    // …and Resume then trains as usual.
    await h.steps(2);
    expect(await agreeAtRest(h)).toBe(2);
  });

  it('while a prediction is being computed', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.answer('configure', { config: config({ targetSteps: 500, sampleEvery: 0 }) });
    const running = h.next('progress', (m) => m.state === 'running');
    await h.send({ type: 'resume' });
    await running;
    const paused = h.next('progress', (m) => m.state === 'paused');
    const answered = h.ask('predict', { prompt: 'The quick brown fox', topWords: 5 });
    await h.send(PAUSE);
    expect(await answered).toMatchObject({ type: 'answer' });
    const step = (await paused).step;
    expect(step).toBeLessThan(500);
    await expect.poll(() => h.of('autosaved').at(-1)?.step).toBe(step);
    expect(await agreeAtRest(h)).toBe(step);
  });

  it('during a backend switch: the switch finishes, training does not start again', async () => {
    const mem = memoryStorage();
    const h = harness({
      storage: mem.storage,
      autosaveKey: 'auto',
      chooseBackendExcept: async () => ({ name: 'cpu', label: 'CPU (fallback)', skipped: [], requested: 'auto' }),
    });
    await h.answer('configure', { config: config({ targetSteps: 500, sampleEvery: 0 }) });
    await h.steps(4);
    const running = h.next('progress', (m) => m.state === 'running');
    await h.send({ type: 'resume' });
    await running;
    const switching = h.session.backendFailed('test');
    await h.send(PAUSE);
    await switching;
    expect(h.of('error').at(-1)!.message).toMatch(/Switched to cpu and resumed from the last save/);
    expect(h.of('model').at(-1)!.model.origin).toBe('restored');
    expect(await agreeAtRest(h)).toBe(h.of('model').at(-1)!.model.step);
  });
});

describe('fine-tuning in the session', () => {
  it('runs a DPO stage as a job (its own steps and metrics) on a new model id, and a save keeps the stages and the ratings', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    const built = (await h.answer('configure', { config: config({ targetSteps: 500, sampleEvery: 0 }) })).model;
    await h.steps(3);
    const ratings = [{ prompt: 'the fox', chosen: ' cat', rejected: ' dog' }]; // short: this model's context is 8
    await h.send({ type: 'feedback', ratings });
    const tuned = h.next('model');
    const done = h.next('progress', (m) => m.state === 'done' && m.stage === 'dpo');
    await h.send({ type: 'tune', method: 'dpo', steps: 5, pairs: ratings });
    const start = await tuned;
    expect(start.model).toMatchObject({ origin: 'tuned', parentId: built.id, step: 3, totalSteps: 3 });
    expect(start.model.stages.map((s) => [s.kind, s.steps])).toEqual([
      ['pretrain', 3],
      ['dpo', 0],
    ]);
    expect(start.history.losses.map((l) => l.step)).toEqual([1, 2, 3]); // the tuned model keeps its parent's curves
    expect(start.ratings).toEqual(ratings);
    expect(await done).toMatchObject({ step: 5, modelId: start.model.id, totalSteps: 8 });
    const metrics = h.of('tuneProgress').flatMap((m) => m.metrics);
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(metrics.every((m) => Number.isFinite(m.loss) && m.rewardMargin !== undefined)).toBe(true);
    expect(h.of('tuneProgress').every((m) => m.modelId === start.model.id && m.method === 'dpo')).toBe(true);
    expect(
      h
        .of('tuneProgress')
        .at(-1)!
        .stages.map((s) => [s.kind, s.steps]),
    ).toEqual([
      ['pretrain', 3],
      ['dpo', 5],
    ]);
    // Pre-training's curve is untouched by the stage.
    expect(h.of('progress').flatMap((p) => p.losses.map((l) => l.step))).toEqual([1, 2, 3]);
    // A pair with a character the tokenizer never saw is refused with a sentence, and no new model is made.
    await h.send({ type: 'tune', method: 'dpo', steps: 5, pairs: [{ prompt: 'fox', chosen: ' ☃', rejected: ' dog' }] });
    expect(h.of('error').at(-1)).toMatchObject({ scope: 'train', message: expect.stringMatching(/cannot encode/) });
    expect(h.liveId()).toBe(start.model.id);

    expect(await h.answer('save', { target: { kind: 'indexeddb', key: 'auto' } })).toMatchObject({ modelId: start.model.id, step: 3 });
    const again = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await again.answer('load', { source: { kind: 'indexeddb', key: 'auto' } });
    const loaded = again.of('model')[0]!;
    expect(loaded.ratings).toEqual(ratings);
    expect(loaded.model).toMatchObject({ parentId: start.model.id, totalSteps: 8 });
    expect(loaded.model.stages.map((s) => s.kind)).toEqual(['pretrain', 'dpo']);
    expect(loaded.model.stages[1]!.reference).toMatch(/^[0-9a-f]{8}$/);
  });

  it('"Step" pressed just as a fine-tuning stage ends trains pre-training; the stage stops at its target', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ targetSteps: 50, sampleEvery: 0 }) });
    await h.steps(2);
    const done = h.next('progress', (m) => m.state === 'done' && m.stage === 'sft');
    await h.send({ type: 'tune', method: 'sft', steps: 2, examples: [{ prompt: 'the fox', completion: ' ran' }] });
    await done;
    // At once, while the stage's loop winds down (its save, the questions, a yield to events).
    await h.send({ type: 'step', count: 2 });
    await h.loopIdle();
    expect(h.of('progress').at(-1)).toMatchObject({ stage: 'pretrain', state: 'paused', step: 4, totalSteps: 6 });
    expect(h.of('tuneProgress').flatMap((m) => m.metrics.map((x) => x.step))).toEqual([1, 2]);
    expect(h.of('progress').some((m) => m.state === 'done' && m.stage === 'pretrain')).toBe(false);
  });
});

describe('a long build shows it is alive', () => {
  it('a BPE tokenizer being built tells the page how far it got (busy), then the model is ready', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ tokenizer: { kind: 'bpe', vocabSize: 512 } }) });
    const busy = h.of('busy');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]).toMatchObject({ what: 'tokenizer', total: 512 });
    expect(busy.every((b) => b.done <= b.total)).toBe(true);
    expect(h.of('model')).toHaveLength(1);
    expect(h.sent.indexOf(busy[0]!)).toBeLessThan(h.sent.indexOf(h.of('model')[0]!));
  });
});
