/**
 * The parts the worker's session is made of, each on its own: the divergence guard, the
 * autosave, the question queue, model I/O and the run loop. (session.test.ts drives them
 * together through messages.) Tiny models on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { Autosave, AUTOSAVE_MS } from '../../src/worker/autosave';
import { DivergenceGuard } from '../../src/worker/divergenceGuard';
import { pretrainJob, type Job } from '../../src/worker/job';
import { ConfigureError, type Live } from '../../src/worker/live';
import { liveFromCheckpoint, readFiles, saveToFiles } from '../../src/worker/modelIO';
import type { FromWorker, SavedHistory, SessionConfig } from '../../src/worker/protocol';
import { QuestionQueue } from '../../src/worker/questions';
import { RunLoop } from '../../src/worker/runLoop';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const text = readCorpus('fox.txt').slice(0, 20_000);

function makeLive(over: Partial<SessionConfig> = {}): Live {
  const { vocabSize: _v, ...model } = tinyConfig(1);
  const config: SessionConfig = {
    model,
    train: tinyTrain({ logEvery: 1, evalInterval: 1000 }),
    tokenizer: { kind: 'char', vocabSize: 0 },
    corpus: { name: 'fox.txt', text },
    targetSteps: 50,
    sampleEvery: 0,
    sampleTokens: 5,
    ...over,
  };
  const tokenizer = buildTokenizer(text, config.tokenizer);
  const data = splitTokens(tokenizer.encode(text), model.blockSize);
  const gpt = createGPT({ ...model, vocabSize: tokenizer.vocabSize }, config.train.seed);
  return { config, tokenizer, data, model: gpt, trainer: new Trainer(gpt, data, config.train) };
}

function dispose(live: Live): void {
  live.trainer.dispose();
  disposeGPT(live.model);
}

const weights = (live: Live) => Array.from(live.model.named[0]!.variable.dataSync());
const history = (): SavedHistory => ({ losses: [], evals: [], samples: [], elapsedMs: 0 });

describe('DivergenceGuard', () => {
  it('spots NaN, infinite and far-worse-than-guessing losses, and nothing else', () => {
    const p = (loss: number, gradNorm = 1) => ({ step: 1, loss, gradNorm, lr: 1e-3 });
    expect(DivergenceGuard.firstBad([p(3.2), p(2.9)], 60)).toBeUndefined();
    expect(DivergenceGuard.firstBad([p(3.2), p(NaN)], 60)?.loss).toBeNaN();
    expect(DivergenceGuard.firstBad([p(Infinity)], 60)).toBeDefined();
    expect(DivergenceGuard.firstBad([p(2, NaN)], 60)).toBeDefined();
    expect(DivergenceGuard.firstBad([p(2400)], 60)).toBeDefined(); // a learning rate of 10
  });

  it('goes back to weights whose next loss was verified, never to unverified ones', async () => {
    const live = makeLive();
    const guard = new DivergenceGuard();
    live.trainer.trainStep();
    await live.trainer.readLosses();
    expect(guard.rollBack(live.trainer)).toBeUndefined(); // nothing remembered yet
    guard.remember(live.trainer); // candidate: after step 1
    const afterOne = weights(live);
    live.trainer.trainStep();
    await live.trainer.readLosses();
    guard.remember(live.trainer); // step 2's loss was fine: step 1's copy is good now
    live.trainer.trainStep();
    expect(weights(live)).not.toEqual(afterOne);
    expect(guard.rollBack(live.trainer)).toBe(1);
    expect(live.trainer.step).toBe(1);
    expect(weights(live)).toEqual(afterOne);
    guard.clear();
    dispose(live);
  });
});

describe('Autosave', () => {
  it('saves to memory and storage, says when storage is full, and is due every AUTOSAVE_MS', async () => {
    const live = makeLive();
    const sent: FromWorker[] = [];
    let t = 0;
    let full = false;
    const stored = new Map<string, tf.io.ModelArtifacts>();
    const storage = (key: string): tf.io.IOHandler => ({
      save: async (a) => {
        if (full) throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
        stored.set(key, a);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
    });
    const none = new Autosave({ post: (m) => sent.push(m), now: () => t });
    await none.save(live, history());
    expect(none.lastSaved).toBeUndefined(); // no key: nothing saved
    const auto = new Autosave({ post: (m) => sent.push(m), now: () => t, key: 'k', storage });
    expect(auto.due()).toBe(true);
    await auto.save(live, history());
    expect(stored.has('k')).toBe(true);
    expect(sent.at(-1)).toMatchObject({ type: 'autosaved', key: 'k', step: 0 });
    expect(auto.due()).toBe(false);
    t += AUTOSAVE_MS;
    expect(auto.due()).toBe(true);
    full = true;
    live.trainer.trainStep();
    await auto.save(live, history());
    expect(sent.at(-1)).toMatchObject({ type: 'error', scope: 'checkpoint', message: expect.stringMatching(/storage is full/) });
    expect(auto.lastSaved?.step).toBe(1); // the memory copy is there for a failover
    dispose(live);
  });
});

describe('QuestionQueue', () => {
  it('answers only the newest waiting prediction, then the rest in order; without a model, an error', async () => {
    const live = makeLive();
    const sent: FromWorker[] = [];
    const q = new QuestionQueue((m) => sent.push(m), () => live);
    for (const [i, prompt] of ['The', 'The quick', 'The quick brown'].entries()) q.ask({ type: 'predict', requestId: i + 1, prompt });
    q.ask({ type: 'attention', requestId: 4, prompt: 'The fox' });
    await q.serve();
    expect(sent.map((m) => [m.type, 'requestId' in m ? m.requestId : 0])).toEqual([
      ['prediction', 3],
      ['attention', 4],
    ]);
    const none = new QuestionQueue((m) => sent.push(m), () => undefined);
    none.ask({ type: 'predict', requestId: 5, prompt: 'x' });
    await none.serve();
    expect(sent.at(-1)).toMatchObject({ type: 'error', scope: 'predict', requestId: 5, message: expect.stringMatching(/No model yet/) });
    dispose(live);
  });
});

describe('modelIO', () => {
  it('a save loads back as the same live model with its history; one with no corpus is refused and freed', async () => {
    const live = makeLive();
    live.trainer.trainStep();
    live.trainer.trainStep();
    const h: SavedHistory = { losses: await live.trainer.readLosses(), evals: [], samples: [{ step: 2, text: 'hi' }], elapsedMs: 1234 };
    const files = await saveToFiles(live, h);
    const back = liveFromCheckpoint(await readFiles(files));
    expect(back.live.trainer.step).toBe(2);
    expect(back.live.config).toEqual(live.config);
    expect(weights(back.live)).toEqual(weights(live));
    expect(back.history).toEqual(h);
    dispose(back.live);

    const before = tf.memory().numTensors;
    const bare = await readFiles(files);
    bare.meta.extra = {}; // as the CLI writes them: no session, no corpus
    expect(() => liveFromCheckpoint(bare)).toThrow(ConfigureError);
    expect(tf.memory().numTensors).toBe(before); // the loaded model and optimizer state were freed
    dispose(live);
  });
});

describe('RunLoop', () => {
  function loopFor(live: Live, over: { jobFor?: (l: Live, ctx: Parameters<typeof pretrainJob>[1]) => Job } = {}) {
    const sent: FromWorker[] = [];
    const post = (m: FromWorker) => sent.push(m);
    let current: Live | undefined = live;
    const autosave = new Autosave({ post, now: () => 0 });
    const loop = new RunLoop({
      post,
      now: () => performance.now(),
      yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
      live: () => current,
      jobFor: over.jobFor ?? pretrainJob,
      guard: new DivergenceGuard(),
      autosave,
      questions: new QuestionQueue(post, () => current),
      freshModel: () => {},
    });
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
    };
    return { loop, sent, until, leave: () => (current = undefined) };
  }

  it('runs a job: "step N" stops exactly there, every loss reaches the page once, the target ends it as done', async () => {
    const live = makeLive({ targetSteps: 7 });
    const afterSteps: boolean[] = [];
    const { loop, sent, until } = loopFor(live, {
      jobFor: (l, ctx) => {
        const job = pretrainJob(l, ctx);
        return Object.assign(Object.create(job) as Job, { afterStep: (last: boolean) => (afterSteps.push(last), job.afterStep(last)) });
      },
    });
    loop.stepN(live, 3);
    await until(() => loop.state === 'paused' && !loop.looping);
    expect(live.trainer.step).toBe(3);
    loop.start(live);
    await until(() => loop.state === 'done' && !loop.looping);
    expect(live.trainer.step).toBe(7);
    const steps = sent.flatMap((m) => (m.type === 'progress' ? m.losses.map((l) => l.step) : []));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(afterSteps).toEqual([false, false, false, false, false, false, true]); // the job hears which step is the last
    expect(loop.savedHistory().losses.map((l) => l.step)).toEqual(steps);
    expect(() => loop.start(live)).toThrow(/target of 7 steps/);
    loop.setTarget(live, 9); // a finished run can go on
    expect(loop.state).toBe('paused');
    dispose(live);
  });

  it('a loop whose model was replaced (a failed backend) stops by itself and leaves the new run alone', async () => {
    const live = makeLive({ targetSteps: 1000 });
    const { loop, sent, until, leave } = loopFor(live);
    loop.start(live);
    await until(() => live.trainer.step >= 3);
    leave();
    loop.abandon();
    expect(loop.looping).toBe(false);
    const count = sent.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(live.trainer.step).toBeLessThan(1000);
    expect(sent.length - count).toBeLessThanOrEqual(1); // at most the step in flight, then silence
    dispose(live);
  });
});
