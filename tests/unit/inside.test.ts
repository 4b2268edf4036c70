/**
 * Inside the model (issue 16): the PCA against known answers, the embedding map, the logit
 * lens (its last row is the model's real prediction), and one inspected step of
 * backpropagation (it raises p(true word), leaves the live model alone, and its gradient
 * sizes match a reference and finite differences). Plus the worker's routing, with a fake post.
 */
import * as tf from '@tensorflow/tfjs';
import { progressEvent } from '../pageFixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { embeddingMap, frequentTokens, tokenCounts } from '../../src/predict/embeddings';
import { isDnaVocab, tokenGroup } from '../../src/predict/tokenGroups';
import { lensProbs, logitLens } from '../../src/predict/lens';
import { nextTokenProbs } from '../../src/predict/predictor';
import { buildTokenizer } from '../../src/tokenizer';
import { exampleLoss, paramGroup, StepInspector, wordExample } from '../../src/train/inspectStep';
import { Trainer } from '../../src/train/trainer';
import { splitTokens } from '../../src/data/dataset';
import { pca } from '../../src/util/pca';
import { Rng } from '../../src/util/rng';
import type { WorkerLink } from '../../src/state/link';
import type { Answer, FromWorker, InsideAnswer, InsideAsk, ModelSummary, SessionConfig } from '../../src/worker/protocol';
import { Session } from '../../src/worker/session';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const text = readCorpus('fox.txt').slice(0, 20_000);
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const FOX = 'The quick brown fox jumps over the lazy';

describe('pca', () => {
  it('finds the axes and variances of a known cross of points', () => {
    // (±2, 0, 0) and (0, ±1, 0): variance 2 along x, 0.5 along y, none along z.
    const rows = [2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1, 0];
    const r = pca(rows, 4, 3, { seed: 3 });
    expect(Math.abs(r.components[0]![0]!)).toBeCloseTo(1, 6);
    expect(Math.abs(r.components[1]![1]!)).toBeCloseTo(1, 6);
    expect(r.variances[0]).toBeCloseTo(2, 6);
    expect(r.variances[1]).toBeCloseTo(0.5, 6);
    expect(r.totalVariance).toBeCloseTo(2.5, 6);
    expect(Array.from(r.projected).map((v) => Math.abs(v))).toEqual([2, 0, 2, 0, 0, 1, 0, 1].map((v) => expect.closeTo(v, 5)));
  });

  it('recovers a rotated ellipse in 8 dimensions, the same every time, and keeps the signs of a previous map', () => {
    const rng = new Rng(5);
    const d = 8;
    const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
    const u = unit([1, 2, 0, -1, 0, 3, 1, 0]);
    const w0 = [0, 1, 1, 2, 0, -1, 0, 1];
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);
    const w = unit(w0.map((x, i) => x - dot(w0, u) * u[i]!)); // orthogonal to u
    const n = 400;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.normal() * 3;
      const b = rng.normal() * 1;
      for (let j = 0; j < d; j++) rows.push(5 + a * u[j]! + b * w[j]! + rng.normal() * 0.05);
    }
    const r = pca(rows, n, d, { seed: 1 });
    expect(Math.abs(dot(r.components[0]!, u))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(r.components[1]!, w))).toBeGreaterThan(0.99);
    expect(r.variances[0]! / r.variances[1]!).toBeGreaterThan(6);
    expect(r.mean[0]).toBeCloseTo(5, 0);
    expect(pca(rows, n, d, { seed: 1 }).projected).toEqual(r.projected); // seeded
    // Flipped previous axes: the new map takes their signs.
    const flipped = r.components.map((c) => c.map((x) => -x));
    const again = pca(rows, n, d, { seed: 9, previous: flipped });
    expect(dot(again.components[0]!, flipped[0]!)).toBeGreaterThan(0.999);
    expect(dot(again.components[1]!, flipped[1]!)).toBeGreaterThan(0.99);
  });
});

describe('embedding map', () => {
  it('shows the most frequent tokens, each once, with coordinates, and frees its tensors', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize), 1);
    const counts = tokenCounts(tok.encode(text), tok.vocabSize);
    const ids = frequentTokens(counts, 10);
    expect(ids).toHaveLength(10);
    expect(ids).toContain(tok.encode(' ')[0]); // the space is the commonest character
    const before = tf.memory().numTensors;
    const { map, axes } = await embeddingMap(model, tok, ids, counts);
    expect(tf.memory().numTensors).toBe(before);
    expect(map.points.map((p) => p.id)).toEqual(ids);
    expect(map.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    expect(map.points.find((p) => p.token === '␣')).toBeTruthy();
    expect(map.explained[0]).toBeGreaterThan(map.explained[1]);
    expect(map.explained[0] + map.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    expect(axes).toHaveLength(2);
    disposeGPT(model);
  });
});

describe('logit lens', () => {
  it('has one row per layer plus the embeddings, and its last row is the model’s real prediction', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 3, blockSize: 16 }), 2);
    // Larger weights so the layers disagree visibly.
    const rng = new Rng(4);
    for (const p of model.named)
      if (p.decay)
        p.variable.assign(
          tf.tensor(
            Array.from({ length: p.variable.size }, () => rng.normal() * 0.3),
            p.variable.shape,
          ),
        );
    const lens = await logitLens(model, tok, FOX, 5);
    expect(lens.rows.map((r) => r.layer)).toEqual([0, 1, 2, 3]);
    const [real] = await nextTokenProbs(model, [tok.encode(FOX)]);
    const last = (await lensProbs(model, tok.encode(FOX)))[3]!;
    for (let i = 0; i < real!.length; i++) expect(last[i]).toBeCloseTo(real![i]!, 5);
    const top = Array.from(real!.keys()).sort((a, b) => real![b]! - real![a]!)[0]!;
    expect(lens.finalTop.id).toBe(top);
    expect(lens.rows[3]!.top[0]!.id).toBe(top);
    expect(lens.rows[3]!.pFinal).toBeCloseTo(real![top]!, 5);
    expect(lens.rows[0]!.top[0]!.id).not.toBe(lens.rows[3]!.top[0]!.id); // layers do differ (this can fail)
    disposeGPT(model);
  });
});

describe('one inspected step of backpropagation', () => {
  const cfg = tinyConfig(tok.vocabSize, { nLayer: 2, blockSize: 48 });
  const data = splitTokens(tok.encode(text), cfg.blockSize);

  it('raises p(true word) on the fox sentence, on a copy: the training run is untouched', async () => {
    const model = createGPT(cfg, 3);
    const trainer = new Trainer(model, data, tinyTrain());
    for (let i = 0; i < 3; i++) trainer.trainStep();
    await trainer.readLosses();
    const weights = await Promise.all(model.named.map((p) => p.variable.data()));
    const moments = await Promise.all(Object.values(trainer.optimizer.stateTensors()).map((t) => t.data()));
    const optT = trainer.optimizer.t;
    const ex = wordExample(tok, FOX, 'dog', cfg.blockSize);
    expect(tok.decode(ex.ids.slice(-ex.wordTokens))).toBe(' dog');
    const insp = StepInspector.of(trainer, 1e-2);
    const first = await insp.step(ex);
    expect(first.after).toBeGreaterThan(first.before);
    expect(first.lossAfter).toBeLessThan(first.loss);
    expect(first.before).toBeCloseTo(Math.exp(-first.loss), 6);
    expect(first.groups.map((g) => g.group)).toEqual(['wte', 'wpe', 'h.0.ln', 'h.0.attn', 'h.0.mlp', 'h.1.ln', 'h.1.attn', 'h.1.mlp', 'lnF']);
    expect(first.groups.every((g) => g.gradNorm > 0 && g.updateNorm > 0)).toBe(true);
    expect(first.steps).toBe(1);
    const second = await insp.step(ex); // Step again: from where the copy got to
    expect(second.before).toBeCloseTo(first.after, 5);
    expect(second.steps).toBe(2);
    insp.dispose();
    // The live model and its AdamW state are as they were.
    const after = await Promise.all(model.named.map((p) => p.variable.data()));
    after.forEach((w, i) => expect(w).toEqual(weights[i]));
    const momentsAfter = await Promise.all(Object.values(trainer.optimizer.stateTensors()).map((t) => t.data()));
    momentsAfter.forEach((m, i) => expect(m).toEqual(moments[i]));
    expect(trainer.optimizer.t).toBe(optT);
    trainer.dispose();
    disposeGPT(model);
  });

  it('measures each group’s gradient as the reference maths and finite differences do', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 1, nEmbd: 8, blockSize: 48 }), 5);
    const ex = wordExample(tok, FOX, 'dog', 48);
    const insp = new StepInspector(model, tinyTrain(), 1e-3, 0);
    const got = await insp.step(ex);
    insp.dispose();
    // Reference: stock tfjs ops (not Folio's fast kernels), tf.variableGrads, norms per group.
    const vars = model.named.map((p) => p.variable);
    const ref = new Map<string, number>();
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => exampleLoss(model, ex, 'reference'), vars);
      for (const p of model.named) {
        const g = paramGroup(p.name);
        ref.set(g, (ref.get(g) ?? 0) + tf.sum(tf.square(grads[p.variable.name]!)).dataSync()[0]!);
      }
    });
    for (const g of got.groups) expect(g.gradNorm, g.group).toBeCloseTo(Math.sqrt(ref.get(g.group)!), 4);
    // Finite differences: the loss's slope along a group's own gradient direction is that group's gradient norm.
    const lossNow = () => tf.tidy(() => exampleLoss(model, ex, 'reference').dataSync()[0]!);
    for (const group of ['wte', 'h.0.attn', 'lnF']) {
      const members = model.named.filter((p) => paramGroup(p.name) === group);
      const dirs = tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => exampleLoss(model, ex, 'reference'),
          members.map((p) => p.variable),
        );
        const norm = Math.sqrt(members.reduce((s, p) => s + tf.sum(tf.square(grads[p.variable.name]!)).dataSync()[0]!, 0));
        return members.map((p) => tf.keep(tf.div(grads[p.variable.name]!, norm)));
      });
      const base = members.map((p) => tf.keep(p.variable.clone()));
      const at = (eps: number) => {
        members.forEach((p, i) => p.variable.assign(tf.tidy(() => tf.add(base[i]!, tf.mul(dirs[i]!, eps)))));
        return lossNow();
      };
      const eps = 1e-2;
      const slope = (at(eps) - at(-eps)) / (2 * eps);
      members.forEach((p, i) => p.variable.assign(base[i]!));
      tf.dispose([...dirs, ...base]);
      const want = got.groups.find((g) => g.group === group)!.gradNorm;
      expect(Math.abs(slope - want) / want, `${group}: slope ${slope}, norm ${want}`).toBeLessThan(2e-2);
    }
    disposeGPT(model);
  });

  it('refuses a word the tokenizer cannot spell, saying so', () => {
    expect(() => wordExample(tok, FOX, 'dög', 48)).toThrow(/cannot spell/);
    expect(() => wordExample(tok, FOX, '  ', 48)).toThrow(/word/);
  });
});

describe('the worker routes inside requests (fake post)', () => {
  it('answers each kind between steps, names the model it read, and frees the copy on release', async () => {
    const sent: FromWorker[] = [];
    const session = new Session({ post: (m) => sent.push(m), chooseBackend: async () => ({ name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }) });
    const { vocabSize: _v, ...model } = tinyConfig(1);
    const config: SessionConfig = {
      model,
      train: tinyTrain(),
      tokenizer: { kind: 'char', vocabSize: 0 },
      corpus: { name: 'fox.txt', text },
      targetSteps: 4,
      sampleEvery: 0,
      sampleTokens: 0,
    };
    await session.handle({ type: 'init', requestId: 100, backend: 'auto' });
    await session.handle({ type: 'configure', requestId: 101, config });
    const liveId = () => sent.flatMap((m) => (m.type === 'model' ? [m.model.id] : [])).at(-1)!;
    const built = liveId();
    const inside = (requestId: number, ask: InsideAsk) => session.handle({ type: 'inside', requestId, ask });
    const answers = () => sent.filter((m): m is Answer<'inside'> => m.type === 'answer' && m.kind === 'inside');
    const answerTo = (requestId: number) => answers().find((a) => a.requestId === requestId)!;
    await inside(1, { kind: 'embeddings' });
    await inside(2, { kind: 'lens', prompt: 'The lazy ' });
    const base = tf.memory().numTensors;
    await inside(3, { kind: 'backprop', prompt: 'The lazy', word: 'dog', lr: 1e-2 });
    expect(tf.memory().numTensors).toBeGreaterThan(base); // the copy is held for the next Step…
    await inside(4, { kind: 'release' });
    expect(tf.memory().numTensors).toBe(base); // …and freed on release
    await inside(5, { kind: 'backprop', prompt: 'The lazy', word: 'døg' });
    expect(answers().map((a) => [a.requestId, a.modelId, a.answer?.kind ?? null])).toEqual([
      [1, built, 'embeddings'],
      [2, built, 'lens'],
      [3, built, 'backprop'],
      [4, built, null], // a release is answered with nothing
    ]);
    const lens = answerTo(2).answer!;
    expect(lens.kind === 'lens' && lens.lens.rows.length).toBe(2); // 1 layer + the embeddings
    const bp = answerTo(3).answer!;
    expect(bp.kind === 'backprop' && bp.tokens).toEqual(['␣', 'd', 'o', 'g']);
    expect(bp.kind === 'backprop' && bp.result.after > bp.result.before).toBe(true);
    expect(sent.find((m) => m.type === 'failed')).toMatchObject({
      kind: 'inside',
      requestId: 5,
      scope: 'predict',
      message: expect.stringMatching(/cannot spell/),
    });
    expect(sent.some((m) => m.type === 'error')).toBe(false); // a request's failure is its answer

    // Steps on one copy go on while the model stands still; a trained step or a new model takes a new copy.
    const stepsOf = (requestId: number) => {
      const a = answerTo(requestId).answer;
      return a?.kind === 'backprop' ? a.result.steps : undefined;
    };
    const ex: InsideAsk = { kind: 'backprop', prompt: 'The lazy', word: 'dog' };
    await inside(6, ex);
    await inside(7, ex);
    expect([stepsOf(6), stepsOf(7)]).toEqual([1, 2]);
    await session.handle({ type: 'step', count: 1 });
    while (!sent.some((m) => m.type === 'progress' && m.state === 'paused' && m.step === 1)) await new Promise((r) => setTimeout(r, 5));
    await inside(8, ex);
    expect(stepsOf(8)).toBe(1);
    await session.handle({ type: 'configure', requestId: 102, config });
    expect(liveId()).not.toBe(built);
    await inside(9, ex);
    expect(stepsOf(9)).toBe(1);
    expect(answerTo(9).modelId).toBe(liveId());
  });
});

describe('frequentTokens', () => {
  it('keeps the most frequent, never a token the text does not use', () => {
    expect(frequentTokens([5, 0, 9, 1, 9], 3)).toEqual([0, 2, 4]);
    expect(frequentTokens([5, 0, 9, 1, 9], 10)).toEqual([0, 2, 3, 4]);
  });
});

describe('colour groups on the map', () => {
  it('groups letters by kind, a DNA model’s k-mers by first base', () => {
    expect(['a', 'b', '7', '␣', 'the'].map((x) => tokenGroup(x, false))).toEqual(['vowel', 'consonant', 'digit', 'space', 'other']);
    expect(isDnaVocab(['ATG', 'TAA', 'GCA', 'CCC'])).toBe(true);
    expect(isDnaVocab(['A', 'C', 'G', 'T'])).toBe(true); // bases read in characters
    expect(isDnaVocab(['a', 'c', 'dog', 'T'])).toBe(false);
    expect(['ATG', 'CCG', 'GTA', 'TAA', '<unk>'].map((x) => tokenGroup(x, true))).toEqual(['A', 'C', 'G', 'T', 'other']);
  });
  it('says every probability the same way: 10% (never 10.0%), 0% with nothing tiny hidden', async () => {
    const {
      STRINGS: { en, pt },
    } = await import('../../src/i18n');
    expect([0.0996, 0.1, 0.094, 0.0004, 0].map((p) => en.insidePct(p))).toEqual(['10%', '10%', '9.4%', '<0.1%', '0%']);
    expect(pt.insidePct(0.094)).toBe(en.pct(0.094).replace('.', ','));
    expect(pt.insideLensFor(2000)).toMatch(/passo 2\.000/);
  });
  it('writes the sampling hints and chart ticks in the page’s language, with even ticks', async () => {
    const {
      STRINGS: { pt },
    } = await import('../../src/i18n');
    expect(pt.topPExplain(0.95)).toMatch(/^Top-p 0,95: .* 95% /);
    const { niceTicks } = await import('../../src/ui/shared/chartParts');
    expect(niceTicks(0, 3.6).ticks).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0, 7.3).ticks).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(-0.3, 1.7).ticks).toEqual([-0.5, 0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 200, 4).ticks).toEqual([0, 50, 100, 150, 200]);
    for (const [a, b] of [
      [0, 3.6],
      [0.01, 0.93],
      [-2, 13],
    ] as const) {
      const { ticks, domain } = niceTicks(a, b);
      const gaps = ticks.slice(1).map((v, i) => +(v - ticks[i]!).toFixed(9));
      expect(new Set(gaps).size).toBe(1); // even
      expect(domain[0]).toBeLessThanOrEqual(a);
      expect(domain[1]).toBeGreaterThanOrEqual(b);
    }
  });
});

describe('the page asks for the open view only, and not too often', () => {
  it('redraws the map every few steps while training, once when it stops, never twice at once, and the lens on a new prompt', async () => {
    const { insideCommands, INSIDE_EVERY_STEPS } = await import('../../src/state/commands/inside');
    const { insideOnModel, useInside } = await import('../../src/state/inside');
    const { useFolio } = await import('../../src/state/store');
    const { AskFailed } = await import('../../src/state/link');
    const { notice } = await import('../../src/i18n');
    /** The worker link, faked: each `inside` request waits for the test to answer or fail it. */
    const asked: { ask: InsideAsk; requestId: number; answer: (a: InsideAnswer) => void; fail: () => void }[] = [];
    const link = {
      ask: (type: string, body: { ask: InsideAsk }) =>
        new Promise((resolve, reject) => {
          if (type !== 'inside') return;
          const requestId = asked.length + 1;
          asked.push({
            ask: body.ask,
            requestId,
            answer: (answer) => resolve({ type: 'answer', kind: 'inside', requestId, modelId: 'm1', answer }),
            fail: () => reject(new AskFailed({ type: 'failed', kind: 'inside', requestId, scope: 'predict', notice: notice('promptEmpty'), message: '' })),
          });
        }),
    } as unknown as WorkerLink;
    const settle = () => new Promise((r) => setTimeout(r, 0)); // the answer's callbacks, and the check they queue
    const cmd = insideCommands({ link, store: useFolio });
    useFolio.setState({
      model: { id: 'm1', totalSteps: 10, config: { nEmbd: 8 }, train: tinyTrain() } as ModelSummary,
      run: { state: 'running', step: 10, targetSteps: 100, tokensPerSec: 0, lr: 0, elapsedMs: 0 },
    });
    insideOnModel('m1', 'dog');
    const stop = cmd.watchInside();
    expect(asked).toHaveLength(0); // off screen: nothing
    cmd.insideVisible(true);
    expect(asked.map((a) => a.ask)).toEqual([{ kind: 'embeddings' }]);
    const at = (step: number, state: 'running' | 'paused' = 'running') => useFolio.get().progress(progressEvent('m1', state, step));
    at(20);
    expect(asked).toHaveLength(1); // one in flight at a time
    asked[0]!.answer({ kind: 'embeddings', step: 10, map: { points: [], explained: [0, 0], vocabSize: 1 } });
    await settle();
    expect(asked).toHaveLength(2); // its answer found the map stale (step 20): asked again
    asked[1]!.answer({ kind: 'embeddings', step: 20, map: { points: [], explained: [0, 0], vocabSize: 1 } });
    await settle();
    at(20 + INSIDE_EVERY_STEPS - 1);
    expect(asked).toHaveLength(2); // fewer than INSIDE_EVERY_STEPS steps on: not yet
    at(20 + INSIDE_EVERY_STEPS - 1, 'paused');
    expect(asked).toHaveLength(3); // training stopped: the last steps are drawn
    expect(useInside.get().embeddings?.step).toBe(20);
    // Progress of another model moves nothing.
    useFolio.get().progress(progressEvent('gone', 'paused', 90));
    expect(asked).toHaveLength(3);
    cmd.insideTab('lens');
    expect(asked.at(-1)!.ask).toEqual({ kind: 'lens', prompt: useFolio.get().prompt });
    asked.at(-1)!.fail();
    await settle();
    expect(useInside.get().error).toMatchObject({ code: 'promptEmpty' });
    useFolio.get().setPrompt('The lazy ');
    expect(asked.at(-1)!.ask).toEqual({ kind: 'lens', prompt: 'The lazy ' });
    stop();
    useFolio.get().setPrompt('Another');
    expect(asked.at(-1)!.ask).toEqual({ kind: 'lens', prompt: 'The lazy ' }); // unsubscribed
  });
});
