/**
 * The bridge as an object: a fake worker client, the real store. Answers reach the
 * request that asked (one pending map), failures are notices the page says in its
 * language, and the fixes of the stall issue hold here too.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createBridge, type ClientLike } from '../../src/state/bridge';
import { actions, defaultSettings, initialRun, useFolio } from '../../src/state/store';
import { noticeText, notice } from '../../src/i18n';
import type { CheckpointFiles, FromWorker, ModelSummary, ToWorker } from '../../src/worker/protocol';

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

const summary = (step: number): ModelSummary =>
  ({ config: { nLayer: 1, nHead: 1, nEmbd: 8, blockSize: 8, dropout: 0, vocabSize: 10 }, step, targetSteps: 100, corpusName: 'fox', snippet: [] }) as unknown as ModelSummary;

function setup() {
  let client: FakeClient | undefined;
  const downloads: { base: string; files: CheckpointFiles }[] = [];
  const bridge = createBridge({ connect: (l) => (client = new FakeClient(l)), download: (files, base) => downloads.push({ files, base }) });
  bridge.commands.pause(); // connects
  return { bridge, client: client!, downloads, hear: (m: FromWorker) => client!.listener(m) };
}

beforeEach(() => {
  useFolio.setState({ settings: { ...defaultSettings }, run: { ...initialRun }, error: undefined, corpusError: undefined, attention: {}, model: undefined });
});

describe('bridge', () => {
  it('routes each answer to the request that asked: attention maps to their view, a refused corpus to the corpus panel', async () => {
    const { bridge, client, hear } = setup();
    bridge.commands.requestAttention();
    const asks = client.sent.filter((m): m is Extract<ToWorker, { type: 'attention' }> => m.type === 'attention');
    // The two "bow" sentences are read once by the bundled bow model (state/bow.ts), not by the live one.
    expect(asks.map((a) => a.prompt)).toEqual([useFolio.getState().prompt]);
    hear({ type: 'attention', requestId: asks[0]!.requestId, tokens: ['a'], maps: [] });
    expect(Object.keys(useFolio.getState().attention)).toEqual(['prompt']);
    bridge.commands.requestAttention();
    const again = client.sent.filter((m): m is Extract<ToWorker, { type: 'attention' }> => m.type === 'attention').at(-1)!;
    // An error for the prompt's attention request is not a prediction failure.
    hear({ type: 'error', scope: 'predict', requestId: again.requestId, notice: notice('attentionPrompt'), message: '' });
    expect(useFolio.getState().predictionError).toBeUndefined();

    bridge.commands.paste('some text to learn from');
    const check = client.sent.at(-1) as Extract<ToWorker, { type: 'checkCorpus' }>;
    expect(check.type).toBe('checkCorpus');
    hear({ type: 'corpusChecked', requestId: check.requestId, ok: false, notice: notice('whitespace'), message: '' });
    expect(useFolio.getState().corpusError).toEqual(notice('whitespace'));
  });

  it('says what it refuses without asking the worker, as notices', () => {
    const { bridge, client } = setup();
    const before = client.sent.length;
    bridge.commands.paste('   ');
    expect(useFolio.getState().corpusError).toEqual(notice('emptyPaste'));
    expect(client.sent.length).toBe(before);
    expect(noticeText('pt', useFolio.getState().corpusError!)).toMatch(/A caixa de texto está vazia/);
  });

  it('names exported files after the checkpoint’s own step, not the page’s counter', () => {
    const { bridge, hear, downloads } = setup();
    hear({ type: 'ready', backend: { name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }, model: summary(0) });
    actions.progress({ state: 'running', step: 57, targetSteps: 100, tokensPerSec: 0, lr: 0, elapsedMs: 0 }, []);
    bridge.commands.exportCheckpoint();
    hear({ type: 'saved', requestId: 1, step: 42, files: { json: '{}', weights: new ArrayBuffer(0) } });
    expect(downloads.map((d) => d.base)).toEqual(['folio-fox-step42']);
  });

  it('a stall is offered as a restart from the last save', () => {
    const { client } = setup();
    actions.saved({ step: 12, corpusName: 'fox', savedAt: 0 });
    client.onStall!(16_400, 'run');
    const banner = useFolio.getState().error!;
    expect(banner.notice).toEqual(notice('stalled', { seconds: 16 }));
    expect(banner.action?.label).toBe('restartWorker');
    banner.action!.run();
    expect(client.restarted).toEqual([{ stalledSeconds: 16 }]);
    expect(client.recover!()?.step).toBe(12);
  });
});
