/**
 * Fine-tuning in the page's state, with a fake worker: a refused file is said, and goes
 * once something after it worked; a stage is sent with its KL budget and whether it keeps what it knew;
 * a pair of identical samples is no choice; a typed question and answer are written in the
 * examples' format, and the chat box asks in the format the model was tuned with; a
 * stage's fit and outcome are kept with its model.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createBridge, type ClientLike } from '../../src/state/bridge';
import { defaultSettings, initialRun, useFolio } from '../../src/state/store';
import { notice } from '../../src/i18n';
import type { AnyAsk, FromWorker, RequestKind, ToWorker } from '../../src/worker/protocol';
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

const tick = () => new Promise((r) => setTimeout(r, 0));
const file = (text: string) => ({ text: async () => text }) as unknown as File;

function setup() {
  let client: FakeClient | undefined;
  const bridge = createBridge({ connect: (l) => (client = new FakeClient(l)), download: () => undefined });
  bridge.commands.training.pause(); // connects
  const hear = (m: FromWorker) => client!.listener(m);
  const last = <K extends RequestKind>(kind: K) => client!.sent.filter((m): m is Extract<AnyAsk, { type: K }> => m.type === kind).at(-1)!;
  const answer = async <K extends RequestKind>(kind: K, body: object) => {
    hear({ type: 'answer', kind, requestId: last(kind).requestId, ...body } as FromWorker);
    await tick();
  };
  return { client: client!, hear, last, answer, c: bridge.commands.fineTune };
}

beforeEach(() => {
  useFolio.update({ settings: { ...defaultSettings }, run: { ...initialRun }, error: undefined, model: undefined });
  useFolio.get().setTune({ examples: [], ratings: [], metrics: [], stages: [], chat: undefined, pair: undefined });
});

describe('fine-tuning in the page', () => {
  it('a bad JSON Lines file is refused with its line; a good one, or a new stage, takes the old message away', async () => {
    const { client, c } = setup();
    await c.uploadTuneFile(file('{"prompt": "a", "completion": "b"}\nnot json\n'), 'instructions');
    expect(useFolio.get().error).toMatchObject({ scope: 'tune', notice: { code: 'jsonlNotJson' } });
    await c.uploadTuneFile(file('{"prompt": "The quick", "completion": " fox"}\n'), 'instructions');
    expect(useFolio.get().error).toBeUndefined();
    expect(useFolio.get().tune.examples).toEqual([{ prompt: 'The quick', completion: ' fox' }]);

    // Something the worker refused at the last stage (scope 'train') goes when a new stage starts; another scope's message stays.
    useFolio.get().failed({ scope: 'train', notice: notice('noExamples') });
    c.tune('sft', 10, { klBudget: 0.5, keep: false });
    expect(useFolio.get().error).toBeUndefined();
    expect(client.sent.at(-1)).toMatchObject({ type: 'tune', method: 'sft', steps: 10, klBudget: 0.5, keep: false });
    useFolio.get().failed({ scope: 'checkpoint', notice: notice('chooseBothFiles') });
    c.tune('sft', 10);
    expect(useFolio.get().error).toMatchObject({ scope: 'checkpoint' });
  });

  it('two identical samples are no choice: rating one better keeps no pair', async () => {
    const { hear, answer, last, c } = setup();
    const ev = modelEvent();
    hear(ev);
    c.showPair('the lazy');
    expect(last('samplePair')).toMatchObject({ prompt: 'the lazy', chars: 60 });
    await answer('samplePair', { modelId: ev.model.id, prompt: 'the lazy', a: ' dog.', b: ' dog.', same: true });
    c.rate('a');
    expect(useFolio.get().tune.ratings).toEqual([]);
    c.rate('skip'); // the next pair
    await answer('samplePair', { modelId: ev.model.id, prompt: 'the lazy', a: ' dog.', b: ' cat.', same: false });
    c.rate('b');
    expect(useFolio.get().tune.ratings).toEqual([{ prompt: 'the lazy', chosen: ' cat.', rejected: ' dog.' }]);
  });

  it('typed pairs follow the examples’ format, and the chat box asks in the format the model was tuned with', async () => {
    const { hear, answer, last, c } = setup();
    await c.uploadTuneFile(file('{"prompt":"who is lazy? ","completion":"the dog."}\n{"prompt":"who is quick? ","completion":"the fox."}\n'), 'instructions');
    c.addInstruction('who jumps', 'the fox');
    expect(useFolio.get().tune.examples.at(-1)).toEqual({ prompt: 'who jumps? ', completion: 'the fox.' });
    c.addInstruction('is the dog lazy?', 'yes.');
    expect(useFolio.get().tune.examples.at(-1)).toEqual({ prompt: 'is the dog lazy? ', completion: 'yes.' });

    const ev = modelEvent({
      stages: [
        { kind: 'pretrain', steps: 600 },
        { kind: 'sft', steps: 50, format: { before: 'Q: ', after: '\nA:', lead: ' ', end: '\n' } },
      ],
    });
    hear(ev);
    c.ask('who is quick?');
    // The model's own stage says how it was tuned: that format, not the examples on the page.
    expect(last('chat')).toMatchObject({ prompt: 'Q: who is quick?\nA:', end: '\n' });
    await answer('chat', { modelId: ev.model.id, prompt: 'Q: who is quick?\nA:', answer: 'the fox' });
    expect(useFolio.get().tune.chat).toEqual({ modelId: ev.model.id, question: 'who is quick?', answer: 'the fox' });
  });

  it('a stage’s fit, budget and outcome are kept with its model, and a new stage starts clean', () => {
    const { hear } = setup();
    const ev = modelEvent({ origin: 'tuned' });
    hear(ev);
    const fit = { count: 160, croppedPrompts: 160, cutCompletions: 0, identical: 0, context: 32 };
    hear({ type: 'tuneProgress', modelId: ev.model.id, method: 'sft', metrics: [], stages: ev.model.stages, fit, klBudget: 0.3 });
    hear({ type: 'tuneProgress', modelId: ev.model.id, method: 'sft', metrics: [{ step: 10, loss: 1, costKl: 0.4, costTv: 0.1 }], stages: ev.model.stages });
    const outcome = [notice('tuneBudgetStop', { step: 10, target: 200, kl: 0.4, budget: 0.3 })];
    hear({ type: 'tuneProgress', modelId: ev.model.id, method: 'sft', metrics: [], stages: ev.model.stages, outcome });
    expect(useFolio.get().tune).toMatchObject({ fit, klBudget: 0.3, outcome, metrics: [{ step: 10, costKl: 0.4 }] });
    // Another model's report is not this one's.
    hear({ type: 'tuneProgress', modelId: 'gone', method: 'dpo', metrics: [{ step: 1, loss: 2 }], stages: [] });
    expect(useFolio.get().tune.method).toBe('sft');
    // The next stage (a new tuned model) brings its own fit; the old outcome goes.
    const next = modelEvent({ origin: 'tuned' });
    hear(next);
    hear({
      type: 'tuneProgress',
      modelId: next.model.id,
      method: 'dpo',
      metrics: [],
      stages: next.model.stages,
      fit: { ...fit, croppedPrompts: 0 },
      klBudget: 0,
    });
    expect(useFolio.get().tune).toMatchObject({ method: 'dpo', klBudget: 0, outcome: undefined, metrics: [] });
  });
});
