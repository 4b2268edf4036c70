/**
 * Rewind (issue 27) in Node, tfjs cpu backend: the snapshots are taken at the planned steps
 * and within the budget; a rewound prediction (and attention map) equals that of a model
 * loaded from the checkpoint saved at that step; rewinding leaves the live run's weights and
 * optimizer untouched, bit for bit (and the run goes on exactly as a twin that never
 * rewound); the snapshots come back from storage with their save, and travel in an export
 * only when asked.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, memoryFilesHandler } from '../../src/checkpoint/checkpoint';
import { hasRewind, readRewindArtifacts, splitRewind } from '../../src/checkpoint/rewindFiles';
import { MODEL_PRESETS, paramCount, type SizedModelConfig } from '../../src/config';
import { attentionMaps, predictNext } from '../../src/predict/predictor';
import { logitLens } from '../../src/predict/lens';
import {
  isPlannedStep,
  keptSteps,
  MAX_SNAPSHOTS,
  MIN_SNAPSHOTS,
  plannedSteps,
  REWIND_BUDGET_BYTES,
  snapshotBytes,
  snapshotLimit,
  stepsToDrop,
} from '../../src/train/rewindPlan';
import { RewindSet, snapshotOf } from '../../src/train/rewindSet';
import type { Answer, Command, FromWorker, RequestKind, Requests, RewindAnswer, SessionConfig, ToWorker } from '../../src/worker/protocol';
import { Session } from '../../src/worker/session';
import type { Live } from '../../src/worker/live';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const sized = (preset: keyof typeof MODEL_PRESETS, vocabSize = 65): SizedModelConfig => ({ ...MODEL_PRESETS[preset], vocabSize });

describe('the plan: log-spaced steps within a budget', () => {
  it('plans 0, 10, 20, 30, 50, 70, 100, … and recognises its steps', () => {
    expect(plannedSteps(5000)).toEqual([0, 10, 20, 30, 50, 70, 100, 200, 300, 500, 700, 1000, 2000, 3000, 5000]);
    expect(plannedSteps(9)).toEqual([0]);
    for (const s of plannedSteps(1_000_000)) expect(isPlannedStep(s)).toBe(true);
    for (const s of [1, 5, 15, 40, 60, 90, 110, 400, 600, 4000, 12345]) expect(isPlannedStep(s)).toBe(false);
  });

  it('the budget scales with the model: every snapshot fits 64 MiB up to the limit, and never fewer than 12 are kept', () => {
    const nano = sized('nano');
    const cpu = sized('cpu');
    const baby = sized('baby');
    expect(snapshotBytes(nano)).toBe(4 * paramCount(nano));
    expect(snapshotLimit(nano)).toBe(MAX_SNAPSHOTS); // 0.4 MB each: the count is what limits
    expect(snapshotLimit(cpu)).toBe(Math.floor(REWIND_BUDGET_BYTES / snapshotBytes(cpu))); // 3.2 MB each: 20
    expect(snapshotLimit(cpu) * snapshotBytes(cpu)).toBeLessThanOrEqual(REWIND_BUDGET_BYTES);
    expect(snapshotLimit(baby)).toBe(MIN_SNAPSHOTS); // 43 MB each: 12, over the budget by design
    // 5,000 steps: the plan's 15 snapshots, all kept for nano and cpu.
    expect(keptSteps(5000, snapshotLimit(nano))).toHaveLength(15);
    expect(keptSteps(5000, snapshotLimit(cpu))).toHaveLength(15);
    const big = keptSteps(5000, snapshotLimit(baby));
    expect(big).toHaveLength(12);
    expect(big[0]).toBe(0);
    expect(big.at(-1)).toBe(5000);
    // The middle goes first: the first steps and the last stay.
    expect(big.slice(0, 3)).toEqual([0, 10, 20]);
    expect(big.slice(-2)).toEqual([3000, 5000]);
  });

  it('thins a long run to the limit as it goes, keeping the first and the newest, log-spaced', () => {
    const set = new RewindSet(12);
    const w = new Float32Array(4);
    // The planned steps, and two pauses on the way (snapshots off the plan: "the last").
    for (const step of [...plannedSteps(1_000_000), 4321, 77_777].sort((x, y) => x - y)) {
      set.add(snapshotOf(step, w));
      expect(set.steps.length).toBeLessThanOrEqual(12);
    }
    const steps = set.steps;
    expect(steps).toHaveLength(12);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(1_000_000);
    expect(steps).not.toContain(4321); // a pause's snapshot stays only while it is the newest
    // Roughly log-spaced: no two neighbours (after 0) more than 10× apart.
    for (let i = 2; i < steps.length; i++) expect(steps[i]! / steps[i - 1]!).toBeLessThanOrEqual(10);
    expect(stepsToDrop([0, 10, 20], 2)).toEqual([10]);
  });
});

// ---------------------------------------------------------------------------------
// The worker's session, driven through the protocol

const corpus = { name: 'fox.txt', text: readCorpus('fox.txt').slice(0, 30_000) };
function config(over: Partial<SessionConfig> = {}): SessionConfig {
  const { vocabSize: _v, ...model } = tinyConfig(1);
  return {
    model,
    train: tinyTrain({ logEvery: 5, evalInterval: 1000 }),
    tokenizer: { kind: 'char', vocabSize: 0 },
    corpus,
    targetSteps: 120,
    sampleEvery: 0,
    sampleTokens: 0,
    ...over,
  };
}

/** An io handler map standing in for IndexedDB. */
function memoryStorage() {
  const saved = new Map<string, tf.io.ModelArtifacts>();
  const storage = (key: string): tf.io.IOHandler => ({
    save: async (a) => {
      saved.set(key, a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
    load: async () => {
      const a = saved.get(key);
      if (!a) throw new Error('nothing saved');
      return a;
    },
  });
  return { saved, storage };
}

function harness(extra: Partial<ConstructorParameters<typeof Session>[0]> = {}) {
  const sent: FromWorker[] = [];
  const waiters: { pred: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];
  const session = new Session({
    post: (m) => {
      sent.push(m);
      for (const w of [...waiters]) if (w.pred(m)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(m);
    },
    chooseBackend: async () => ({ name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }),
    ...extra,
  });
  const waitFor = (pred: (m: FromWorker) => boolean) => new Promise<FromWorker>((resolve) => waiters.push({ pred, resolve }));
  let ids = 0;
  const answer = async <K extends RequestKind>(type: K, body: Requests[K]['ask']): Promise<Answer<K>> => {
    const requestId = ++ids;
    const settled = waitFor((m) => (m.type === 'answer' || m.type === 'failed') && m.requestId === requestId);
    void session.handle({ type, requestId, ...body } as ToWorker);
    const a = await settled;
    if (a.type === 'failed') throw new Error(`${type} failed: ${a.message}`);
    return a as unknown as Answer<K>;
  };
  const of = <T extends FromWorker['type']>(type: T) => sent.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  /** Send a command and wait until the run stops (paused or done). */
  const run = async (cmd: Command) => {
    const stopped = waitFor((m) => m.type === 'progress' && (m.state === 'paused' || m.state === 'done'));
    await session.handle(cmd);
    await stopped;
    await expect.poll(() => (session as unknown as { loop: { looping: boolean } }).loop.looping).toBe(false);
  };
  const rewind = async <K extends RewindAnswer['kind']>(ask: Requests['rewind']['ask']['ask'] & { kind: K }) =>
    (await answer('rewind', { ask })).answer as Extract<RewindAnswer, { kind: K }>;
  const live = () => (session as unknown as { live: Live }).live;
  const snapshots = () => of('snapshots').at(-1)!;
  return { session, sent, answer, of, run, rewind, live, snapshots };
}

/** A fingerprint of everything a training step writes: the weights, AdamW's moments and count, the step. */
async function fingerprint(live: Live): Promise<string> {
  const h = createHash('sha256');
  for (const p of live.model.named) h.update(new Uint8Array(((await p.variable.data()) as Float32Array).buffer));
  const opt = live.trainer.optimizer.stateTensors();
  for (const k of Object.keys(opt).sort()) h.update(k).update(new Uint8Array(((await opt[k]!.data()) as Float32Array).buffer));
  return h.update(`${live.trainer.optimizer.t}/${live.trainer.step}`).digest('hex');
}

const PROMPT = 'The quick brown fox';

describe('rewinding a run', () => {
  it('keeps snapshots at the planned steps; a rewound answer equals the checkpoint of that step; the live run is untouched', async () => {
    const h = harness();
    const twin = harness(); // the same run, never rewound
    for (const x of [h, twin]) await x.answer('configure', { config: config() });
    const size = paramCount(h.live().model.config);

    // Pause at 50 and export (no snapshots unless asked), then train on to 120.
    await h.run({ type: 'step', count: 50 });
    const at50 = (await h.answer('save', { target: { kind: 'export' } })).files!;
    expect(hasRewind(at50)).toBe(false);
    await h.run({ type: 'resume' });
    await twin.run({ type: 'resume' });

    const list = h.snapshots();
    expect(list.modelId).toBe(h.live().id);
    expect(list.steps).toEqual([0, 10, 20, 30, 50, 70, 100, 120]); // the plan, and where the run ended
    expect(list.bytesEach).toBe(4 * size);
    expect(list.bytes).toBe(8 * 4 * size);
    expect(list.bytes).toBeLessThanOrEqual(list.budgetBytes);
    const before = await fingerprint(h.live());
    expect(await fingerprint(twin.live())).toBe(before); // pausing at 50 and exporting changed nothing

    // The model loaded from step 50's checkpoint, and the rewound model at 50, say the same.
    const loaded = await loadCheckpoint(memoryFilesHandler(at50));
    expect(loaded.meta.step).toBe(50);
    const rewound = await h.rewind({ kind: 'predict', step: 50, prompt: PROMPT, track: 'dog' });
    const fromFile = await predictNext(loaded.model, loaded.tokenizer, PROMPT, { topTokens: 10, beam: { topWords: 10 }, track: 'dog' });
    expect(rewound.step).toBe(50);
    expect(rewound.prediction).toEqual(fromFile);
    const attn = await h.rewind({ kind: 'attention', step: 50, prompt: PROMPT });
    expect(attn.maps).toEqual(await attentionMaps(loaded.model, loaded.tokenizer.encode(PROMPT).slice(-8)));
    const lens = await h.rewind({ kind: 'lens', step: 50, prompt: PROMPT });
    expect(lens.lens).toEqual(await logitLens(loaded.model, loaded.tokenizer, PROMPT));
    // …and not what the live model says now.
    const now = await h.answer('predict', { prompt: PROMPT, topTokens: 10, topWords: 10, track: 'dog' });
    expect(now.prediction.tokens).not.toEqual(rewound.prediction.tokens);
    // Step 0 is the untrained model: near uniform over the vocabulary.
    const zero = await h.rewind({ kind: 'predict', step: 0, prompt: PROMPT });
    const V = h.live().model.config.vocabSize;
    expect(zero.prediction.tokens[0]!.p).toBeLessThan(1.5 / V);

    // Everything else rewinding answers.
    const emb = await h.rewind({ kind: 'embeddings', step: 20 });
    expect(emb.map.points.length).toBeGreaterThan(10);
    const sample = await h.rewind({
      kind: 'sample',
      step: 100,
      prompt: PROMPT,
      sample: { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 12, seed: 3 },
    });
    expect(sample.text.length).toBeGreaterThan(0);
    const strip = await h.rewind({ kind: 'strip', prompt: PROMPT, track: 'dog' });
    expect(strip.frames.map((f) => f.step)).toEqual(list.steps);
    expect(strip.frames[4]).toMatchObject({
      step: 50,
      p: rewound.prediction.words[0]!.p,
      top: rewound.prediction.words[0]!.word,
      tracked: rewound.prediction.tracked!.p,
    });
    // Questions asked together (the strip, and the page's views of one snapshot) share the desk's copy: each gets its own answer.
    const together = await Promise.all([
      h.rewind({ kind: 'strip', prompt: PROMPT, track: 'cat' }),
      h.rewind({ kind: 'predict', step: 0, prompt: PROMPT }),
      h.rewind({ kind: 'attention', step: 100, prompt: PROMPT }),
      h.rewind({ kind: 'predict', step: 50, prompt: PROMPT, track: 'dog' }),
    ]);
    expect(together[3].prediction).toEqual(fromFile);
    const alone = await h.rewind({ kind: 'strip', prompt: PROMPT, track: 'cat' });
    expect(together[0].frames).toEqual(alone.frames);
    const missing = h.answer('rewind', { ask: { kind: 'predict', step: 60, prompt: PROMPT } });
    await expect(missing).rejects.toThrow(/no snapshot at step 60/);

    // Bit for bit: the live weights, moments, count and step are as they were…
    expect(await fingerprint(h.live())).toBe(before);
    // …and training on goes exactly where the twin's goes.
    for (const x of [h, twin]) {
      await x.session.handle({ type: 'target', steps: 140 });
      await x.run({ type: 'resume' });
    }
    expect(await fingerprint(h.live())).toBe(await fingerprint(twin.live()));
    expect(h.snapshots().steps).toEqual([0, 10, 20, 30, 50, 70, 100, 140]); // the stop at 120 was "the last" only while it was
    loaded.model.named.forEach((p) => p.variable.dispose());
  });

  it('stores the snapshots beside the autosave and reads them back with it; an export carries them only when asked', async () => {
    const mem = memoryStorage();
    const h = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await h.answer('configure', { config: config({ targetSteps: 60 }) });
    await h.run({ type: 'resume' });
    const steps = h.snapshots().steps;
    expect(steps).toEqual([0, 10, 20, 30, 50, 60]);
    expect(mem.saved.has('auto-rewind')).toBe(true);
    const size = paramCount(h.live().model.config);
    expect(readRewindArtifacts(mem.saved.get('auto-rewind')!, size)!.snapshots.map((s) => s.step)).toEqual(steps);
    const said = await h.rewind({ kind: 'predict', step: 30, prompt: PROMPT });

    // A reload: a new worker resumes the save, and its snapshots are back.
    const again = harness({ storage: mem.storage, autosaveKey: 'auto' });
    await again.answer('load', { source: { kind: 'indexeddb', key: 'auto', origin: 'resumed' } });
    expect(again.snapshots()).toMatchObject({ modelId: again.live().id, steps });
    expect((await again.rewind({ kind: 'predict', step: 30, prompt: PROMPT })).prediction).toEqual(said.prediction);

    // Snapshots stored for another model are not this save's.
    const other = harness({ storage: mem.storage, autosaveKey: 'auto' });
    mem.saved.set('auto-rewind', { ...mem.saved.get('auto-rewind')!, modelTopology: { format: 'folio-rewind', version: 1, modelId: 'someone-else' } });
    await other.answer('load', { source: { kind: 'indexeddb', key: 'auto', origin: 'resumed' } });
    expect(other.snapshots().steps).toEqual([]);

    // Export: without snapshots by default, with them when asked; files with them load with them.
    const plain = (await h.answer('save', { target: { kind: 'export' } })).files!;
    const full = (await h.answer('save', { target: { kind: 'export', snapshots: true } })).files!;
    expect(hasRewind(plain)).toBe(false);
    expect(full.weights.byteLength).toBe(plain.weights.byteLength + steps.length * 4 * size);
    const split = splitRewind(full, size);
    expect(split.snapshots.map((s) => s.step)).toEqual(steps);
    expect(new Uint8Array(split.files.weights)).toEqual(new Uint8Array(plain.weights));
    const fromFiles = harness();
    await fromFiles.answer('load', { source: { kind: 'files', files: full } });
    expect(fromFiles.snapshots().steps).toEqual(steps);
    expect((await fromFiles.rewind({ kind: 'predict', step: 30, prompt: PROMPT })).prediction).toEqual(said.prediction);
    const noneCarried = harness();
    await noneCarried.answer('load', { source: { kind: 'files', files: plain } });
    expect(noneCarried.snapshots().steps).toEqual([]);
  });

  it('a new model starts with no snapshots of its own', async () => {
    const h = harness();
    await h.answer('configure', { config: config({ targetSteps: 20 }) });
    await h.run({ type: 'resume' });
    expect(h.snapshots().steps).toEqual([0, 10, 20]);
    const fresh = await h.answer('trainFromScratch', { steps: 10 });
    await expect
      .poll(
        () =>
          h
            .of('progress')
            .filter((p) => p.modelId === fresh.model.id)
            .at(-1)?.state,
        { timeout: 30_000 },
      )
      .toBe('done');
    const mine = h.of('snapshots').filter((s) => s.modelId === fresh.model.id);
    expect(mine[0]!.steps).toEqual([]);
    expect(mine.at(-1)!.steps).toEqual([0, 10]);
  });

  it.each([
    ['char', { kind: 'char', vocabSize: 0 }, corpus.text, PROMPT],
    ['word', { kind: 'word', vocabSize: 300 }, corpus.text, PROMPT],
    ['BPE', { kind: 'bpe', vocabSize: 300 }, corpus.text, PROMPT],
    ['DNA, overlapping 3-mers', { kind: 'kmer', vocabSize: 0, k: 3, overlap: true }, readCorpus('dna.txt').slice(0, 20_000), 'TATAAAGGCCTTAA'],
    ['DNA, tiled 2-mers', { kind: 'kmer', vocabSize: 0, k: 2, overlap: false }, readCorpus('dna.txt').slice(0, 20_000), 'TATAAAGGCCTTAA'],
  ] as const)('rewinds a %s model: the film strip and every view', async (_name, tokenizer, text, prompt) => {
    const h = harness();
    await h.answer('configure', { config: config({ tokenizer: { ...tokenizer }, corpus: { name: 'c.txt', text }, targetSteps: 10 }) });
    await h.run({ type: 'resume' });
    expect(h.snapshots().steps).toEqual([0, 10]);
    const strip = await h.rewind({ kind: 'strip', prompt, track: tokenizer.kind === 'kmer' ? 'ATG' : 'dog' });
    expect(strip.frames.map((f) => f.step)).toEqual([0, 10]);
    for (const f of strip.frames) {
      expect(f.top.length).toBeGreaterThan(0);
      expect(f.p).toBeGreaterThan(0);
      if (tokenizer.kind === 'kmer') expect(f.top).toMatch(/^[ACGT]{3}$/); // the next codon, as the ranked list shows for DNA
    }
    const zero = await h.rewind({ kind: 'predict', step: 0, prompt });
    expect(zero.prediction.tokens.length).toBeGreaterThan(0);
    expect((await h.rewind({ kind: 'attention', step: 10, prompt })).tokens.length).toBeGreaterThan(0);
    expect((await h.rewind({ kind: 'embeddings', step: 0 })).map.points.length).toBeGreaterThan(0);
    const sample = { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 8, seed: 1 };
    expect((await h.rewind({ kind: 'sample', step: 10, prompt, sample })).text.length).toBeGreaterThan(0);
  });
});
