import { beforeEach, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, TRAIN_PRESETS, withLearningRate } from '../../src/config';
import { configDiff, diffLabel, type RunConfig } from '../../src/state/runDiff';
import {
  capRuns,
  downsampleCurve,
  MAX_CURVE,
  MAX_RUNS,
  previousRun,
  RUN_NAME_MAX,
  runsActions,
  storedRuns,
  useRuns,
  type StoredRun,
} from '../../src/state/runs';
import { decodeShared, encodeShared } from '../../src/state/runShare';
import { CKPT_SLOTS, ckptKey, pickSlot } from '../../src/state/commands/runs';
import { runLoss, shownUnit } from '../../src/state/lossUnit';

const base: RunConfig = {
  model: { ...MODEL_PRESETS.cpu },
  train: { ...TRAIN_PRESETS.nano },
  tokenizer: { kind: 'char', vocabSize: 40 },
  corpus: { name: 'The quick brown fox', bundled: 'fox' },
  steps: 1000,
};

describe('what differs from the previous run', () => {
  it('says a learning-rate change, a tokenizer change and a layer change as a learner would', () => {
    expect(diffLabel(base, { ...base, train: withLearningRate(base.train, 0.003) }, 'en')).toBe('lr 0.01 → 0.003');
    expect(diffLabel(base, { ...base, tokenizer: { kind: 'bpe', vocabSize: 512 } }, 'en')).toBe('tokenizer char → BPE');
    expect(diffLabel(base, { ...base, model: { ...base.model, nLayer: 2 } }, 'en')).toBe('4 → 2 layers');
  });
  it('in Portuguese, with its decimal comma', () => {
    expect(diffLabel(base, { ...base, train: withLearningRate(base.train, 0.003) }, 'pt')).toBe('taxa 0,01 → 0,003');
    expect(diffLabel(base, { ...base, model: { ...base.model, nLayer: 2 } }, 'pt')).toBe('4 → 2 camadas');
  });
  it('first run, same settings, several changes (capped with "+N more")', () => {
    expect(diffLabel(undefined, base, 'en')).toBe('first run');
    expect(diffLabel(base, structuredClone(base), 'en')).toBe('same settings');
    const many = { ...base, model: { ...base.model, nLayer: 2, nHead: 2, nEmbd: 64 }, steps: 500 };
    expect(configDiff(base, many).map((p) => p.key)).toEqual(['layers', 'heads', 'embd', 'steps']);
    expect(diffLabel(base, many, 'en')).toBe('4 → 2 layers, 4 → 2 heads, 128 → 64 embedding width +1 more');
  });
  it('a vocabulary that follows a new tokenizer or corpus is not said twice; the backend only when asked', () => {
    expect(configDiff(base, { ...base, tokenizer: { kind: 'word', vocabSize: 300 } }).map((p) => p.key)).toEqual(['tokenizer']);
    expect(configDiff(base, base, { prev: 'wasm', cur: 'cpu' })).toEqual([{ key: 'backend', from: 'wasm', to: 'cpu' }]);
  });
});

const run = (id: string, pinned = false, group?: StoredRun['group']): StoredRun => ({
  id,
  number: 0,
  createdAt: 0,
  config: base,
  seed: 1,
  backend: 'cpu',
  curves: { train: [], val: [] },
  tracks: {},
  modelIds: [],
  from: 0,
  pinned,
  ...(group ? { group } : {}),
});

describe('the runs list', () => {
  beforeEach(() => runsActions.clear());
  it('keeps curves to MAX_CURVE points, averaging, ending at the last step', () => {
    const pts = Array.from({ length: 1001 }, (_, i) => ({ step: i + 1, loss: i }));
    const d = downsampleCurve(pts, MAX_CURVE, (b) => ({ step: b.at(-1)!.step, loss: b.reduce((s, p) => s + p.loss, 0) / b.length }));
    expect(d.length).toBeLessThanOrEqual(MAX_CURVE);
    expect(d.at(-1)!.step).toBe(1001); // the curve still ends where the run ended
    expect(d[0]!.loss).toBeCloseTo(2.5, 6); // buckets of ceil(1001/200) = 6: mean of 0..5
  });
  it('keeps pinned runs and the newest others, in their order', () => {
    const runs = Array.from({ length: MAX_RUNS + 3 }, (_, i) => run(`r${i}`, i === 0));
    const kept = capRuns(runs);
    expect(kept).toHaveLength(MAX_RUNS);
    expect(kept[0]!.id).toBe('r0'); // pinned
    expect(kept.map((r) => r.id)).not.toContain('r1');
    expect(kept.at(-1)!.id).toBe(`r${MAX_RUNS + 2}`);
  });
  it('adds, renames, pins, hides and deletes; a fork compares with its parent', () => {
    const a = runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [{ step: 1, loss: 3 }], val: [] } }, 1);
    const b = runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] } }, 2);
    const c = runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] }, parent: { id: a, step: 5 } }, 3);
    runsActions.rename(a, '  baseline ');
    runsActions.togglePin(b);
    // New runs are not drawn on the chart: the person ticks them.
    runsActions.setOverlay(a, true);
    const s = useRuns.getState().runs;
    expect(s.map((r) => [r.label, !!r.pinned, r.overlay])).toEqual([
      ['baseline', false, true],
      [undefined, true, false],
      [undefined, false, false],
    ]);
    runsActions.drawOnly([b, c]);
    expect(useRuns.getState().runs.map((r) => r.overlay)).toEqual([false, true, true]);
    expect(previousRun(s, b)!.id).toBe(a);
    expect(previousRun(s, c)!.id).toBe(a);
    runsActions.remove(a);
    expect(useRuns.getState().runs.map((r) => r.id)).toEqual([b, c]);
    // Undo puts it back where it was, with its number.
    runsActions.undoRemove();
    expect(useRuns.getState().runs.map((r) => [r.id, r.number])).toEqual([
      [a, 1],
      [b, 2],
      [c, 3],
    ]);
    runsActions.remove(a);
    // A fork that kept its parent's config still compares with it once the parent is gone (not with b, the run listed before it).
    const lr01 = { ...base, train: withLearningRate(base.train, 0.01) };
    const p = runsActions.addRun({ config: lr01, seed: 1, backend: 'wasm', curves: { train: [], val: [] } }, 4);
    const f = runsActions.addRun(
      {
        config: { ...base, train: withLearningRate(base.train, 0.001) },
        seed: 1,
        backend: 'wasm',
        curves: { train: [], val: [] },
        parent: { id: p, step: 80, config: lr01, backend: 'wasm' },
      },
      5,
    );
    runsActions.remove(p);
    const after = useRuns.getState().runs;
    expect(previousRun(after, f)!.config).toEqual(lr01);
    expect(diffLabel(previousRun(after, f)!.config, after.find((r) => r.id === f)!.config, 'en')).toBe('lr 0.01 → 0.001');
    // A name is a label: a pasted paragraph is cut to RUN_NAME_MAX (share links cut it the same way).
    runsActions.rename(b, 'x'.repeat(300));
    expect(useRuns.getState().runs[0]!.label).toHaveLength(RUN_NAME_MAX);
  });
});

describe('runs keep their identity', () => {
  beforeEach(() => runsActions.clear());
  it('a run keeps its number when others are deleted, and a new run never reuses one', () => {
    const ids = [1, 2, 3].map((t) => runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] } }, t));
    runsActions.remove(ids[0]!);
    runsActions.forgetRemoved();
    const d = runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] } }, 4);
    expect(useRuns.getState().runs.map((r) => [r.id, r.number])).toEqual([
      [ids[1], 2],
      [ids[2], 3],
      [d, 4],
    ]);
    expect(useRuns.getState().removed).toBeUndefined();
  });
  it("a sweep's sizes are one entry: one number, deleted and kept together, counted once against MAX_RUNS", () => {
    const sizes = [0, 1, 2, 3].map((i) =>
      runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] }, group: { id: 'sw', kind: 'sweep', index: i } }, 10 + i),
    );
    const after = runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] } }, 20);
    expect(useRuns.getState().runs.map((r) => r.number)).toEqual([1, 1, 1, 1, 2]);
    runsActions.remove(sizes[2]!);
    expect(useRuns.getState().runs.map((r) => r.id)).toEqual([after]);
    runsActions.undoRemove();
    expect(useRuns.getState().runs.map((r) => r.id)).toEqual([...sizes, after]);
    const many = [
      ...Array.from({ length: MAX_RUNS - 1 }, (_, i) => run(`r${i}`)),
      ...[0, 1, 2].map((i) => run(`s${i}`, false, { id: 'g', kind: 'sweep', index: i })),
    ];
    expect(capRuns(many)).toHaveLength(MAX_RUNS + 2); // 11 runs + one sweep of 3 = 12 entries
  });
  it('a run stored by an older page gets a number and keeps its one tracked curve under its word', () => {
    const read = storedRuns({
      runs: [
        { id: 'old', createdAt: 1, config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [], track: [{ step: 5, p: 0.3 }] }, trackWord: 'dog' },
        { id: 7 },
      ],
    });
    expect(read.runs).toHaveLength(1);
    expect(read.runs[0]).toMatchObject({ id: 'old', number: 1, curves: { train: [], val: [] }, tracks: { dog: [{ step: 5, p: 0.3 }] }, modelIds: [] });
    expect(read.nextNumber).toBe(2);
  });
  it('a list kept by an older page (which ticked every new run) comes back with nothing ticked; a list of this page keeps its ticks', () => {
    const ticked = { ...run('t'), overlay: true };
    expect(storedRuns({ runs: [ticked] }).runs[0]!.overlay).toBe(false);
    expect(storedRuns({ runs: [ticked], ticksChosen: true }).runs[0]!.overlay).toBe(true);
  });
  it('a run keeps its characters per token; one kept before they were measured converts to bits per character only if it is a char run', () => {
    const id = runsActions.addRun({ config: base, seed: 1, backend: 'cpu', curves: { train: [], val: [] }, charsPerToken: { train: 2.17, val: 2.09 } });
    const kept = useRuns.getState().runs.find((r) => r.id === id)!;
    expect(runLoss(kept, 3.35, 'bits')).toBeCloseTo(3.35 / (2.09 * Math.LN2), 12);
    expect(runLoss(kept, 3.35, 'bits', 'train')).toBeCloseTo(3.35 / (2.17 * Math.LN2), 12);
    expect(runLoss(kept, 3.35, 'nats')).toBe(3.35);
    expect(runLoss(run('old-char'), 1.7, 'bits')).toBeCloseTo(1.7 / Math.LN2, 12);
    expect(runLoss({ ...run('old-bpe'), config: { ...base, tokenizer: { kind: 'bpe', vocabSize: 512 } } }, 3.2, 'bits')).toBeNaN();
  });
  it("'auto' reads bits per character while other runs are drawn, nats per token otherwise", () => {
    expect(shownUnit('auto', true)).toBe('bits');
    expect(shownUnit('auto', false)).toBe('nats');
    expect(shownUnit('nats', true)).toBe('nats');
    expect(shownUnit('bits', false)).toBe('bits');
  });
});

describe('a shared experiment', () => {
  it('round-trips configs and seeds (no curves) and refuses garbage', () => {
    const runs = [
      { config: base, seed: 1337, label: 'baseline' },
      { config: { ...base, train: withLearningRate(base.train, 0.003) }, seed: 7 },
    ];
    const text = encodeShared(runs);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeShared(text)).toEqual(runs);
    expect(decodeShared('not-base64!')).toEqual([]);
    // A link cut short reads as nothing, and the page says so instead of loading as if no runs were shared.
    runsActions.setSharedFrom(text.slice(0, 20), decodeShared(text.slice(0, 20)));
    expect(useRuns.getState()).toMatchObject({ shared: [], sharedUnreadable: true });
    runsActions.setSharedFrom(text, decodeShared(text));
    expect(useRuns.getState()).toMatchObject({ shared: runs, sharedUnreadable: false });
    expect(decodeShared(encodeShared([{ config: { ...base, model: { ...base.model, nLayer: -1 } }, seed: 1 }]))).toEqual([]);
  });
});

describe('checkpoint slots', () => {
  it('a run keeps its slot; a new one takes a free slot, then the oldest unpinned holder’s', () => {
    const held = (id: string, slot: number, pinned = false): StoredRun => ({ ...run(id, pinned), checkpoint: { key: ckptKey(slot), step: 10 } });
    expect(pickSlot([held('a', 0)], held('a', 0))).toEqual({ key: ckptKey(0) });
    expect(pickSlot([held('a', 0), run('b')], run('b'))).toEqual({ key: ckptKey(1) });
    const full = [held('a', 2, true), held('b', 0), held('c', 1), run('d')];
    expect(CKPT_SLOTS).toBe(3);
    expect(pickSlot(full, run('d'))).toEqual({ key: ckptKey(0), evict: 'b' }); // 'a' is pinned
  });
});
