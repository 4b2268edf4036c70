/**
 * Rewind (issue 27) on the page's side, without a worker: the store keeps the live model's
 * snapshots and the one on show, keyed by the model (a new model clears them; another
 * model's list or answer is dropped); the commands ask the snapshot on show — and only it —
 * for what the page shows, the film strip when the snapshots change; the ranked list on show
 * is the snapshot's while rewound. And attention read word by word (predict/wordAttention.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createBridge, type ClientLike } from '../../src/state/bridge';
import { defaultSettings, initialRun, nearestSnapshot, rewoundAtOf, shownRankedOf, snapshotStepsOf, useFolio } from '../../src/state/store';
import { groupWords, wordMap } from '../../src/predict/wordAttention';
import type { AnyAsk, FromWorker, RewindAsk, ToWorker } from '../../src/worker/protocol';
import type { Prediction } from '../../src/predict/predictor';
import { modelEvent } from '../pageFixtures';

class FakeClient implements ClientLike {
  sent: ToWorker[] = [];
  private n = 1;
  constructor(readonly listener: (m: FromWorker) => void) {}
  id() {
    return this.n++;
  }
  send(m: ToWorker) {
    this.sent.push(m);
  }
  restart() {}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup() {
  let client: FakeClient | undefined;
  const bridge = createBridge({ connect: (l) => (client = new FakeClient(l)), download: () => undefined });
  bridge.commands.training.pause(); // connects
  const stop = bridge.commands.rewind.watch();
  const hear = (m: FromWorker) => client!.listener(m);
  const rewindAsks = () => client!.sent.filter((m): m is Extract<AnyAsk, { type: 'rewind' }> => m.type === 'rewind');
  const asked = (kind: RewindAsk['kind']) => rewindAsks().filter((m) => m.ask.kind === kind);
  /** Answer a rewind request (the page takes it a tick later: answers settle a promise). */
  const answer = async (m: Extract<AnyAsk, { type: 'rewind' }>, modelId: string, answer: object) => {
    hear({ type: 'answer', kind: 'rewind', requestId: m.requestId, modelId, answer } as FromWorker);
    await sleep(0);
  };
  return { c: bridge.commands, hear, asked, answer, stop, client: () => client! };
}

const list = (modelId: string, steps: number[]): FromWorker => ({
  type: 'snapshots',
  modelId,
  steps,
  bytes: steps.length * 400,
  bytesEach: 400,
  limit: 32,
  budgetBytes: 1 << 26,
});
const prediction = (word: string, p: number) => ({ tokens: [], words: [{ word, p }] }) as unknown as Prediction;

beforeEach(() => {
  useFolio.update({ settings: { ...defaultSettings }, run: { ...initialRun }, model: undefined, prediction: undefined, tracks: { curves: {} }, rewind: {} });
});

describe('rewind on the page', () => {
  it('snaps to the nearest snapshot, asks that snapshot for what the page shows, and shows its answer with its step', async () => {
    const { c, hear, asked, answer, stop } = setup();
    const m = modelEvent({ step: 200 });
    hear(m);
    hear(list(m.model.id, [0, 10, 20, 30, 50, 70, 100, 200]));
    expect(snapshotStepsOf(useFolio.get())).toEqual([0, 10, 20, 30, 50, 70, 100, 200]);
    expect(rewoundAtOf(useFolio.get())).toBeUndefined();
    expect(nearestSnapshot([0, 10, 20], 14)).toBe(10);

    // The film strip is asked when the snapshots come, for the prompt and the tracked word.
    await sleep(400);
    expect(asked('strip').at(-1)!.ask).toEqual({ kind: 'strip', prompt: useFolio.get().prompt, track: 'dog' });

    c.rewind.rewindTo(61); // a drag lands between snapshots: the nearest is 70
    expect(rewoundAtOf(useFolio.get())).toBe(70);
    const kinds = asked('predict').concat(asked('sample'), asked('attention'));
    expect(kinds.map((a) => a.ask.kind).sort()).toEqual(['attention', 'predict', 'sample']);
    expect(kinds.every((a) => 'step' in a.ask && a.ask.step === 70)).toBe(true);

    // The live model's words stay in the store; the ranked list on show is the snapshot's, naming its step.
    useFolio.get().predicted({
      type: 'answer',
      kind: 'predict',
      requestId: 1,
      modelId: m.model.id,
      step: 200,
      prompt: useFolio.get().prompt,
      prediction: prediction('dog', 0.6),
    });
    expect(shownRankedOf(useFolio.get())).toBeUndefined(); // rewound, the snapshot has not answered yet
    await answer(asked('predict').at(-1)!, m.model.id, { kind: 'predict', step: 70, prompt: useFolio.get().prompt, prediction: prediction('the', 0.2) });
    expect(shownRankedOf(useFolio.get())).toMatchObject({ step: 70, result: { words: [{ word: 'the' }] } });
    c.rewind.rewindNow();
    expect(shownRankedOf(useFolio.get())).toMatchObject({ step: 200, result: { words: [{ word: 'dog' }] } });

    // Training goes on: a snapshot on show that the worker drops is replaced by its nearest.
    c.rewind.rewindTo(20);
    hear(list(m.model.id, [0, 10, 30, 50, 70, 100, 200, 300]));
    expect(rewoundAtOf(useFolio.get())).toBe(10);

    // Another model's list and answers are dropped; a new model clears everything.
    hear(list('someone-else', [0, 5]));
    expect(snapshotStepsOf(useFolio.get())).toEqual([0, 10, 30, 50, 70, 100, 200, 300]);
    const n = modelEvent();
    hear(n);
    expect(rewoundAtOf(useFolio.get())).toBeUndefined();
    expect(snapshotStepsOf(useFolio.get())).toEqual([]);
    await answer(asked('predict').at(-1)!, m.model.id, { kind: 'predict', step: 10, prompt: 'x', prediction: prediction('old', 0.5) });
    expect(useFolio.get().rewind.prediction).toBeUndefined();
    stop();
  });
});

describe('attention word by word', () => {
  it('groups tokens into words, the space before a word going with it, for characters and BPE pieces', () => {
    const chars = groupWords(['T', 'h', 'e', '␣', 'c', 'a', 't', '.', '␣', '␣', 'O', 'k', '↵', 'N', 'o']);
    expect(chars.words).toEqual(['The', 'cat.', 'Ok', 'No']);
    expect(chars.texts).toEqual(['The', ' cat.', '  Ok', '\nNo']);
    expect(chars.wordOf).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
    const bpe = groupWords(['The', '␣qu', 'ick', '␣fox']);
    expect(bpe.words).toEqual(['The', 'quick', 'fox']);
    expect(groupWords(['ACG', 'CGT', 'GTA']).words).toEqual(['ACGCGTGTA']); // DNA: no words
  });

  it('sums each word looked at and averages over the word reading, so every row still adds to 1', () => {
    const g = groupWords(['a', 'b', '␣c']); // words "ab", "c"
    const map = [
      [1, 0, 0],
      [0.5, 0.5, 0],
      [0.2, 0.3, 0.5],
    ];
    const w = wordMap(map, g);
    expect(w[0]).toEqual([1, 0]); // "ab": (1 + 1) / 2 on itself
    expect(w[1]![0]).toBeCloseTo(0.5, 12); // "c" looks at "ab" with 0.2 + 0.3
    expect(w[1]![1]).toBeCloseTo(0.5, 12);
    for (const row of w) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });
});
