/**
 * The backend race and the size sweep through a real Session in Node (cpu and wasm; the
 * GPU backends are absent here and must say why): same maths on every backend, the live
 * model and the backend in use untouched, training resumed, no tensors left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gemmPool } from '../../src/kernels/threads/gemmThreads';
import { notice, noticeText } from '../../src/i18n';
import { experimentReducer, type ExperimentsState } from '../../src/state/experiments';
import type { ExperimentEvent } from '../../src/worker/experimentProtocol';
import type { BackendName, BackendReport, Command, FromWorker, RequestKind, Requests, SessionConfig, ToWorker } from '../../src/worker/protocol';
import { Session } from '../../src/worker/session';
import { backend, readCorpus, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const config: SessionConfig = {
  model: { nLayer: 1, nHead: 2, nEmbd: 16, blockSize: 16, dropout: 0.1 },
  train: tinyTrain({ logEvery: 1, evalInterval: 1000 }),
  tokenizer: { kind: 'char', vocabSize: 0 },
  corpus: { name: 'fox.txt', text: readCorpus('fox.txt').slice(0, 20_000) },
  targetSteps: 1000,
  sampleEvery: 0,
  sampleTokens: 10,
};

/** The Node chooser: cpu and wasm start; WebGPU and WebGL fall back to cpu with a reason, as the page's does. */
async function choose(name: BackendName | 'auto'): Promise<BackendReport> {
  if (name === 'cpu' || name === 'wasm') {
    await backend(name);
    return { name, label: name, skipped: [], requested: name, ...(name === 'wasm' ? { threads: gemmPool()?.threads ?? 1 } : {}) };
  }
  await backend('cpu');
  const n = notice('bkNoWebGpu');
  return { name: 'cpu', label: 'cpu', skipped: [{ name: name as BackendName, reason: noticeText('en', n), notice: n }], requested: name };
}

function harness() {
  const sent: FromWorker[] = [];
  const session = new Session({ post: (m) => void sent.push(m), chooseBackend: choose });
  const events = () => sent.flatMap((m) => (m.type === 'experiment' ? [m.event] : []));
  let ids = 0;
  /** A request (with a fresh id): resolves once the session has handled it. */
  const ask = <K extends RequestKind>(type: K, body: Requests[K]['ask']) => session.handle({ type, requestId: ++ids, ...body } as ToWorker);
  const send = (m: Command) => session.handle(m);
  /** Set up on a backend, with a model; the id of that model. */
  const setUp = async (name: BackendName) => {
    await ask('init', { backend: name });
    await ask('configure', { config });
    return sent.flatMap((m) => (m.type === 'model' ? [m.model.id] : [])).at(-1)!;
  };
  return { session, sent, events, ask, send, setUp };
}

const PAUSE = { type: 'pause' } as Command; // (an empty body is typed Record<string, never>)

const weightsOf = (s: Session) => {
  const live = (s as unknown as { live: { model: { named: { variable: tf.Variable }[] } } }).live;
  return live.model.named.map((p) => Array.from(p.variable.dataSync()));
};

describe('backend race', () => {
  it('races cpu, wasm and wasm on one thread with equal first losses; the live model, backend and run are as before', async () => {
    const h = harness();
    const modelId = await h.setUp('cpu');
    await h.send({ type: 'step', count: 3 });
    await h.send({ type: 'resume' }); // training is running when the race starts
    await new Promise((r) => setTimeout(r, 50));
    const before = weightsOf(h.session);
    const tensors = tf.memory().numTensors;
    h.sent.length = 0;
    const race = h.send({ type: 'experiment', request: { kind: 'race', steps: 3, includeEmulated: false } });
    await new Promise((r) => setTimeout(r, 0));
    // …paused right away (the loop let go of the model); compare the weights after the pause
    const pausedAt = weightsOf(h.session);
    await race;
    const ev = h.events();
    const results = ev.flatMap((e) => (e.kind === 'raceResult' ? [e.result] : []));
    const skipped = ev.flatMap((e) => (e.kind === 'raceSkipped' ? [e.skip] : []));
    expect(results.map((r) => r.entrant)).toEqual(gemmPool() ? ['wasm', 'wasm-1', 'cpu'] : ['wasm', 'cpu']);
    expect(skipped.map((s) => s.entrant)).toEqual(gemmPool() ? ['webgpu', 'webgl'] : ['webgpu', 'webgl', 'wasm-1']);
    expect(skipped[0]!.reason).toMatch(/WebGPU/);
    for (const r of results) {
      expect(r.steps).toBe(3);
      expect(r.firstLosses).toHaveLength(3);
      expect(r.msPerStep).toBeGreaterThan(0);
      expect(Math.abs(r.firstLosses[0]! - results[0]!.firstLosses[0]!)).toBeLessThan(1e-3);
    }
    expect(Math.abs(results[0]!.firstLosses[0]! - Math.log(26))).toBeLessThan(1); // ≈ ln(vocab) at the start
    expect(ev.at(-1)).toEqual({ kind: 'raceDone', stopped: false });
    expect(tf.getBackend()).toBe('cpu');
    expect(weightsOf(h.session)).not.toEqual(before); // training resumed after the race…
    expect(pausedAt.length).toBe(before.length);
    await h.send(PAUSE);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.sent.some((m) => m.type === 'progress' && m.state === 'running')).toBe(true);
    // The same model all along: no new model, and the run's progress names it.
    expect(h.sent.some((m) => m.type === 'model')).toBe(false);
    expect(h.sent.every((m) => m.type !== 'progress' || m.modelId === modelId)).toBe(true);
    // The race's models are gone: another race (training again in between) leaves the count where
    // the first left it, a step's pending losses aside. (The count after the first race can be one
    // weights-and-moments copy higher than before it: the divergence guard (worker/divergenceGuard.ts)
    // keeps at most two, a verified-good one and a newer candidate, and whether it held one or two
    // when `tensors` was read depends on where the loop was. Traced by tracking every tensor made
    // during the race: the survivors are takeSnapshot's clones from DivergenceGuard.remember.)
    const afterFirst = tf.memory().numTensors;
    expect(afterFirst).toBeGreaterThanOrEqual(tensors - 8);
    await h.send({ type: 'resume' });
    await new Promise((r) => setTimeout(r, 50));
    await h.send({ type: 'experiment', request: { kind: 'race', steps: 3, includeEmulated: false } });
    await h.send(PAUSE);
    await new Promise((r) => setTimeout(r, 50));
    expect(tf.memory().numTensors).toBeLessThanOrEqual(afterFirst + 8);
  }, 60_000);

  it('a Pause pressed during the race holds: training does not resume after it', async () => {
    const h = harness();
    const modelId = await h.setUp('cpu');
    await h.send({ type: 'resume' });
    await new Promise((r) => setTimeout(r, 50));
    const race = h.send({ type: 'experiment', request: { kind: 'race', steps: 2, includeEmulated: false } });
    await new Promise((r) => setTimeout(r, 0));
    await h.send(PAUSE);
    await race;
    const after = weightsOf(h.session);
    await new Promise((r) => setTimeout(r, 100));
    expect(weightsOf(h.session)).toEqual(after); // nothing trains
    expect((h.session as unknown as { loop: { state: string } }).loop.state).not.toBe('running');
    expect(h.sent.filter((m) => m.type === 'progress').at(-1)).toMatchObject({ modelId, state: 'paused' });
  }, 60_000);

  it('leaves a paused model exactly as it was', async () => {
    const h = harness();
    const modelId = await h.setUp('cpu');
    await h.send({ type: 'step', count: 2 });
    while (!h.sent.some((m) => m.type === 'progress' && m.state === 'paused' && m.step === 2)) await new Promise((r) => setTimeout(r, 10));
    const before = weightsOf(h.session);
    const tensors = tf.memory().numTensors;
    const race = h.send({ type: 'experiment', request: { kind: 'race', steps: 2, includeEmulated: false } });
    await new Promise((r) => setTimeout(r, 0));
    // A question while backends change waits for the race: it never runs the live model elsewhere.
    await h.ask('predict', { prompt: 'The quick' });
    await race;
    const answered = (m: FromWorker) => m.type === 'answer' && m.kind === 'predict';
    while (!h.sent.some(answered)) await new Promise((r) => setTimeout(r, 10));
    const done = h.sent.findIndex((m) => m.type === 'experiment' && m.event.kind === 'raceDone');
    expect(h.sent.findIndex(answered)).toBeGreaterThan(done);
    expect(h.sent.find(answered)).toMatchObject({ modelId });
    expect(weightsOf(h.session)).toEqual(before);
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(h.sent.some((m) => m.type === 'progress' && m.state === 'running' && m.step > 2)).toBe(false);
  }, 60_000);

  it('stops when asked: what finished stays, the rest say they were stopped', async () => {
    const h = harness();
    await h.setUp('cpu');
    const race = h.send({ type: 'experiment', request: { kind: 'race', steps: 2, includeEmulated: false } });
    while (!h.events().some((e) => e.kind === 'raceResult')) await new Promise((r) => setTimeout(r, 1));
    await h.send({ type: 'experiment', request: { kind: 'stop' } });
    await race;
    const ev = h.events();
    expect(ev.at(-1)).toEqual({ kind: 'raceDone', stopped: true });
    expect(ev.some((e) => e.kind === 'raceSkipped' && e.skip.entrant === 'cpu' && /stopped/.test(e.skip.reason))).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
  }, 60_000);
});

describe('size sweep', () => {
  it('trains two sizes for the same tokens; the bigger one learns more', async () => {
    const h = harness();
    await h.setUp('wasm'); // several times faster than cpu here
    const tensors = tf.memory().numTensors;
    const sizes = [
      { nLayer: 1, nHead: 1, nEmbd: 4 },
      { nLayer: 1, nHead: 2, nEmbd: 32 },
    ];
    await h.send({ type: 'experiment', request: { kind: 'sweep', budget: { kind: 'tokens', tokens: 16 * 16 * 40 }, sizes } });
    const ev = h.events();
    const plan = ev.find((e) => e.kind === 'sweepPlan') as Extract<ExperimentEvent, { kind: 'sweepPlan' }>;
    expect(plan.sizes.map((s) => s.config.nEmbd)).toEqual([4, 32]);
    const points = ev.flatMap((e) => (e.kind === 'sweepPoint' ? [e.result] : []));
    expect(points).toHaveLength(2);
    expect(points[0]!.params).toBeLessThan(points[1]!.params);
    expect(points.map((p) => p.steps)).toEqual([40, 40]); // the live context, 16: 16 sequences × 16 tokens a step
    expect(points.map((p) => p.tokens)).toEqual([10_240, 10_240]);
    expect(points[1]!.valLoss).toBeLessThan(points[0]!.valLoss);
    expect(points[0]!.curve.length).toBeGreaterThan(2);
    expect(ev.some((e) => e.kind === 'sweepProgress' && e.etaMs >= 0)).toBe(true);
    expect(ev.at(-1)).toEqual({ kind: 'sweepDone', stopped: false });
    expect(tf.memory().numTensors).toBe(tensors);
    // The page's slice folds the events into a plot's points.
    const state = ev.reduce(experimentReducer, {
      race: { status: 'idle', entrants: [], steps: 0, params: 0, results: [], skipped: [] },
      sweep: { status: 'idle', sizes: [], dropped: [], points: [] },
    } as ExperimentsState);
    expect(state.sweep.status).toBe('done');
    expect(state.sweep.points.map((p) => p.valLoss)).toEqual(points.map((p) => p.valLoss));
    await backend('cpu');
  }, 60_000);
});
