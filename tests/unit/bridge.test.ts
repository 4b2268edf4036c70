/**
 * The bridge as an object: a fake worker client, the real stores. Answers reach the
 * request that asked (by id), failures are notices the page says in its language, and
 * what the page shows about a model belongs to the model that is live: a new model (its
 * `model` event) leaves nothing of the old one behind.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createBridge, type ClientLike } from '../../src/state/bridge';
import { defaultSettings, initialRun, rankedOf, trackCurveOf, useFolio } from '../../src/state/store';
import { runOfModel, runsActions, useRuns } from '../../src/state/runs';
import { insideOf, useInside } from '../../src/state/inside';
import { noticeText, notice } from '../../src/i18n';
import type { AnyAsk, CheckpointFiles, FromWorker, RequestKind, ToWorker } from '../../src/worker/protocol';
import type { Prediction } from '../../src/predict/predictor';
import { modelEvent, progressEvent } from '../pageFixtures';
import { loadBundledCorpus } from '../../src/state/corpora';

class FakeClient implements ClientLike {
  sent: ToWorker[] = [];
  private n = 1;
  restarted: unknown[] = [];
  recover?: ClientLike['recover'];
  onStall?: ClientLike['onStall'];
  constructor(readonly listener: (m: FromWorker) => void) {}
  id() {
    return this.n++;
  }
  send(m: ToWorker) {
    this.sent.push(m);
  }
  restart(cause: { stalledSeconds: number }) {
    this.restarted.push(cause);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  let client: FakeClient | undefined;
  const downloads: { base: string; files: CheckpointFiles }[] = [];
  const bridge = createBridge({ connect: (l) => (client = new FakeClient(l)), download: (files, base) => downloads.push({ files, base }) });
  bridge.commands.training.pause(); // connects
  const hear = (m: FromWorker) => client!.listener(m);
  /** The newest request of a kind the page sent. */
  const last = <K extends RequestKind>(kind: K) => client!.sent.filter((m): m is Extract<AnyAsk, { type: K }> => m.type === kind).at(-1)!;
  /** Answer the newest request of a kind. */
  const answer = async <K extends RequestKind>(kind: K, body: object) => {
    hear({ type: 'answer', kind, requestId: last(kind).requestId, ...body } as FromWorker);
    await tick();
  };
  return { bridge, client: client!, downloads, hear, last, answer, c: bridge.commands };
}

const prediction = (word: string, p: number, tracked?: { word: string; p: number }): Prediction =>
  ({ tokens: [], words: [{ word, p }], ...(tracked ? { tracked } : {}) }) as unknown as Prediction;

beforeEach(() => {
  useFolio.update({
    settings: { ...defaultSettings },
    run: { ...initialRun },
    error: undefined,
    corpusError: undefined,
    confirm: undefined,
    model: undefined,
    demo: false,
    prediction: undefined,
    tracks: { curves: {} },
    lastSave: undefined,
  });
  runsActions.clear();
});

describe('bridge', () => {
  it('routes each answer to the request that asked, and drops what an older model said', async () => {
    const { c, hear, last, answer } = setup();
    const a = modelEvent();
    hear(a);
    expect(last('attention').prompt).toBe(useFolio.get().prompt); // a new model is asked about the prompt on show
    await answer('attention', { modelId: a.model.id, tokens: ['a'], maps: [] });
    expect(useFolio.get().attention?.view.tokens).toEqual(['a']);
    c.nextWords.requestAttention();
    const b = modelEvent();
    hear(b);
    const stale = last('predict');
    hear({
      type: 'answer',
      kind: 'predict',
      requestId: stale.requestId,
      modelId: a.model.id,
      step: 0,
      prompt: stale.prompt,
      prediction: prediction('s', 0.045),
    });
    await tick();
    expect(rankedOf(useFolio.get())).toBeUndefined(); // the old model's "s 4.5 %" never shows
    c.nextWords.predictNow();
    await answer('predict', { modelId: b.model.id, step: 0, prompt: stale.prompt, prediction: prediction('dog', 0.57) });
    expect(rankedOf(useFolio.get())?.result.words[0]?.word).toBe('dog');
  });

  it('a refused corpus is said under the corpus controls; what it refuses itself it says without asking the worker', async () => {
    const { c, client, hear, last } = setup();
    c.corpus.paste('some text to learn from');
    const check = last('checkCorpus');
    hear({ type: 'failed', kind: 'checkCorpus', requestId: check.requestId, scope: 'configure', notice: notice('whitespace'), message: '' });
    await tick();
    expect(useFolio.get().corpusError).toEqual(notice('whitespace'));
    const before = client.sent.length;
    c.corpus.paste('   ');
    expect(useFolio.get().corpusError).toEqual(notice('emptyPaste'));
    expect(client.sent.length).toBe(before);
    expect(noticeText('pt', useFolio.get().corpusError!)).toMatch(/A caixa de texto está vazia/);
  });

  it('the replace question belongs to the model: a resumed model counts every step it trained, and a new model withdraws the question', async () => {
    const { c, hear, answer } = setup();
    const resumed = modelEvent({ origin: 'resumed', parentId: 'm-saved', step: 5634, totalSteps: 5634 });
    hear(resumed);
    for (let s = 5635; s <= 5731; s++)
      hear(progressEvent(resumed.model.id, s === 5731 ? 'paused' : 'running', s, { losses: [{ step: s, loss: 2, gradNorm: 1, lr: 0.01 }] }));
    c.corpus.paste('a corpus of my own, long enough to learn from');
    await answer('checkCorpus', { chars: 40 });
    const q = useFolio.get().confirm!;
    expect(q.modelId).toBe(resumed.model.id);
    expect(useFolio.get().model?.totalSteps).toBe(5731); // what the dialog states (not 97)
    hear(modelEvent()); // the model changed under the question: it no longer holds
    expect(useFolio.get().confirm).toBeUndefined();
  });

  it('a save resumed while the first model’s corpus is still coming: the first model is not sent after it and does not replace it', async () => {
    const { c, client } = setup();
    void c.app.start('wasm'); // fetches the bundled corpus (and its trained checkpoint) before it asks the worker
    c.checkpoints.resumeSaved(); // the person presses "Resume it" meanwhile
    await loadBundledCorpus(useFolio.get().settings.corpus); // the same fetch: the first model's build has its corpus too
    for (let i = 0; i < 5; i++) await tick();
    const models = client.sent.filter((m) => m.type === 'configure' || m.type === 'load');
    expect(models).toEqual([expect.objectContaining({ type: 'load', source: expect.objectContaining({ kind: 'indexeddb', origin: 'resumed' }) })]);
  });

  it('names exported files after the checkpoint’s own step, not the page’s counter', async () => {
    const { c, hear, answer, downloads } = setup();
    const m = modelEvent();
    hear(m);
    hear(progressEvent(m.model.id, 'running', 57));
    c.checkpoints.exportCheckpoint();
    await answer('save', { modelId: m.model.id, step: 42, files: { json: '{}', weights: new ArrayBuffer(0) } });
    expect(downloads.map((d) => d.base)).toEqual(['folio-fox-step42']);
  });

  it('a stall is offered as a restart from the last save of this model; another model’s save is not offered', () => {
    const { client, hear } = setup();
    const m = modelEvent();
    hear(m);
    hear({ type: 'autosaved', modelId: m.model.id, key: 'k', step: 12, totalSteps: 12, corpusName: 'fox' });
    client.onStall!(16_400, 'run');
    const banner = useFolio.get().error!;
    expect(banner.notice).toEqual(notice('stalled', { seconds: 16 }));
    expect(banner.action?.label).toBe('restartWorker');
    banner.action!.run();
    expect(client.restarted).toEqual([{ stalledSeconds: 16 }]);
    expect(client.recover!()?.step).toBe(12);
    hear(modelEvent()); // a fresh model: the save is of the one before
    expect(client.recover!()).toBeUndefined();
  });

  it('each tracked word keeps its own curve: dog, cat, then dog again shows dog’s curve', async () => {
    const { c, hear, last } = setup();
    const m = modelEvent();
    hear(m);
    const say = async (step: number, word: string, p: number) => {
      c.nextWords.predictNow();
      const ask = last('predict');
      hear({
        type: 'answer',
        kind: 'predict',
        requestId: ask.requestId,
        modelId: m.model.id,
        step,
        prompt: ask.prompt,
        prediction: prediction('dog', 0.5, { word, p }),
      });
      await tick();
    };
    await say(10, 'dog', 0.1);
    await say(20, 'dog', 0.3);
    useFolio.get().setSettings({ track: 'cat' });
    await say(30, 'cat', 0.2);
    expect(trackCurveOf(useFolio.get()).map((p) => p.step)).toEqual([30]);
    useFolio.get().setSettings({ track: 'dog' });
    expect(trackCurveOf(useFolio.get()).map((p) => p.p)).toEqual([0.1, 0.3]);
  });

  it('runs follow models: a resumed model extends its run, a fresh one starts the next; the run of the live model is "the model now"', () => {
    const { c, hear } = setup();
    c.runs.recordRuns();
    const train = (id: string, from: number, to: number) => {
      for (let s = from; s <= to; s++) hear(progressEvent(id, s === to ? 'paused' : 'running', s, { losses: [{ step: s, loss: 3, gradNorm: 1, lr: 0.01 }] }));
    };
    const a = modelEvent();
    hear(a);
    train(a.model.id, 1, 5);
    const resumed = modelEvent({ origin: 'resumed', parentId: a.model.id, step: 5, totalSteps: 5 });
    hear(resumed);
    train(resumed.model.id, 6, 9);
    let runs = useRuns.get().runs;
    expect(runs.map((r) => r.number)).toEqual([1]);
    expect(runs[0]!.modelIds).toEqual([a.model.id, resumed.model.id]);
    expect(runOfModel(runs, useFolio.get().model?.id)?.number).toBe(1);
    const fresh = modelEvent();
    hear(fresh);
    expect(runOfModel(useRuns.get().runs, useFolio.get().model?.id)).toBeUndefined(); // "the model now" left run #1
    train(fresh.model.id, 1, 3);
    runs = useRuns.get().runs;
    expect(runs.map((r) => r.number)).toEqual([1, 2]);
    expect(runOfModel(runs, fresh.model.id)?.number).toBe(2);
  });

  it('inside the model: a new model resets the example word to the tracked word and drops the inspected steps', () => {
    const { hear } = setup();
    const m = modelEvent();
    hear(m);
    useInside.update({ word: 'comb', steps: [{ kind: 'backprop', prompt: 'x', word: 'comb', tokens: [], result: {} as never }] });
    hear(modelEvent());
    expect(useInside.get().word).toBe('dog');
    expect(insideOf(useInside.get(), useFolio.get().model?.id).steps).toEqual([]);
  });
});
