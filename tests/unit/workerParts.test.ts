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
import { ConfigureError, identity, type Live } from '../../src/worker/live';
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
  return { ...identity('built'), config, tokenizer, data, model: gpt, trainer: new Trainer(gpt, data, config.train) };
}

function dispose(live: Pick<Live, 'model' | 'trainer'>): void {
  live.trainer.dispose();
  disposeGPT(live.model);
}

const weights = (live: Pick<Live, 'model'>) => Array.from(live.model.named[0]!.variable.dataSync());
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
    expect(sent.at(-1)).toEqual({ type: 'autosaved', modelId: live.id, key: 'k', step: 0, totalSteps: 0, corpusName: 'fox.txt' });
    expect(auto.due()).toBe(false);
    t += AUTOSAVE_MS;
    expect(auto.due()).toBe(true);
    full = true;
    live.trainer.trainStep();
    await auto.save(live, history());
    expect(sent.at(-1)).toMatchObject({ type: 'error', scope: 'checkpoint', message: expect.stringMatching(/storage is full/) });
    expect(auto.lastSaved?.step).toBe(1); // the memory copy is there for a failover
    // The saved count is every stage's steps (a fine-tuned model has more than pre-training's step)…
    full = false;
    const staged = new Autosave({
      post: (m) => sent.push(m),
      now: () => t,
      key: 'k',
      storage,
      extras: () => ({
        stages: [
          { kind: 'pretrain', steps: 1 },
          { kind: 'dpo', steps: 5 },
        ],
        modelId: live.id,
      }),
    });
    await staged.save(live, history());
    expect(sent.at(-1)).toMatchObject({ type: 'autosaved', modelId: live.id, step: 1, totalSteps: 6 });
    // …and the save names the model it holds (a model loaded from it names this one as its parent).
    expect((await readFiles(staged.lastSaved!.files)).meta.extra?.modelId).toBe(live.id);
    dispose(live);
  });
});

describe('QuestionQueue', () => {
  it('answers only the newest waiting prediction (the older ones settle with nothing), then the rest in order; without a model, it fails', async () => {
    const live = makeLive();
    const q = new QuestionQueue(() => live);
    const settled: [number, string][] = [];
    const track = (requestId: number, p: Promise<{ modelId: string } | undefined>) => p.then((a) => void settled.push([requestId, a ? a.modelId : 'none']));
    const asked = ['The', 'The quick', 'The quick brown'].map((prompt, i) => track(i + 1, q.ask({ type: 'predict', requestId: i + 1, prompt })));
    const attention = q.ask({ type: 'attention', requestId: 4, prompt: 'The fox' });
    void track(4, attention);
    await q.serve();
    await Promise.all(asked);
    // The superseded two settle at once with nothing (the session posts no answer for them); the newest is answered, then the rest.
    expect(settled).toEqual([
      [1, 'none'],
      [2, 'none'],
      [3, live.id],
      [4, live.id],
    ]);
    const maps = (await attention)!;
    expect('maps' in maps && maps.tokens.join('')).toBe('The␣fox');
    // Generated tokens go to the asker as they come; the answer counts them.
    const tokens: string[] = [];
    const gen = q.ask(
      { type: 'generate', requestId: 5, prompt: 'The', sample: { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 4, seed: 1 } },
      (t) => tokens.push(t.text),
    );
    await q.serve();
    expect(await gen).toEqual({ modelId: live.id, count: 4 });
    expect(tokens).toHaveLength(4);

    const none = new QuestionQueue(() => undefined);
    const refused = none.ask({ type: 'predict', requestId: 6, prompt: 'x' });
    await none.serve();
    await expect(refused).rejects.toThrow(/No model yet/);
    dispose(live);
  });
});

describe('modelIO', () => {
  it('a save loads back as the same live model with its history; one with no corpus is refused and freed', async () => {
    const live = makeLive();
    live.trainer.trainStep();
    live.trainer.trainStep();
    const h: SavedHistory = { losses: await live.trainer.readLosses(), evals: [], samples: [{ step: 2, text: 'hi' }], elapsedMs: 1234 };
    const stages = [{ kind: 'pretrain' as const, steps: 2 }];
    const ratings = [{ prompt: 'a', chosen: 'b', rejected: 'c' }];
    const files = await saveToFiles(live, h, { stages, ratings, modelId: live.id });
    const read = await readFiles(files);
    expect(read.meta.extra?.modelId).toBe(live.id); // the saved model's id: a model loaded from it names it as its parent
    const back = liveFromCheckpoint(read);
    expect(back.live.trainer.step).toBe(2);
    expect(back.live.config).toEqual(live.config);
    expect(weights(back.live)).toEqual(weights(live));
    expect(back.history).toEqual(h);
    expect(back.extras).toEqual({ stages, ratings });
    expect('id' in back.live).toBe(false); // a new identity is the session's to give
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
      totalSteps: (l) => l.trainer.step + 100, // (as if a 100-step stage came before: the loop reports what it is told)
      jobFor: over.jobFor ?? pretrainJob,
      guard: new DivergenceGuard(),
      autosave,
      questions: new QuestionQueue(() => current),
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
    const progress = sent.flatMap((m) => (m.type === 'progress' ? [m] : []));
    expect(progress.every((m) => m.modelId === live.id && m.totalSteps === m.step + 100)).toBe(true);
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
