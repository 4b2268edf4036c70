import { describe, expect, it } from 'vitest';
import { notice } from '../../src/i18n';
import { TrainerClient } from '../../src/worker/client';
import { progressEvent } from '../pageFixtures';
import { REQUESTS, type FromWorker, type ModelSummary, type SessionConfig, type ToWorker } from '../../src/worker/protocol';

/** Just enough of a Worker to watch what the client sends and to make it crash. */
class FakeWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

/** A client over fake workers and a clock the test moves: `pass(ms)` ticks the watchdog each second. */
function clientWithClock() {
  const workers: FakeWorker[] = [];
  const heard: FromWorker[] = [];
  let t = 0;
  const client = new TrainerClient(
    (m) => heard.push(m),
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    () => t,
  );
  const stalls: number[] = [];
  const waitedFor: string[] = [];
  client.onStall = (ms, what) => (stalls.push(ms), waitedFor.push(what));
  const hear = (data: FromWorker) => workers.at(-1)!.onmessage?.({ data } as unknown as MessageEvent<FromWorker>);
  const progress = (state: 'running' | 'paused', step: number, elapsedMs: number) => hear(progressEvent('m', state, step, { elapsedMs }));
  const pass = (ms: number) => {
    for (let i = 0; i < ms / 1000; i++) {
      t += 1000;
      client.checkStall();
    }
  };
  return { client, workers, heard, stalls, waitedFor, hear, progress, pass };
}

describe('TrainerClient', () => {
  it('restarts a crashed worker, says so, and sets the new one up as before', () => {
    const { client, workers, heard } = clientWithClock();
    const config = { targetSteps: 5 } as SessionConfig;
    client.send({ type: 'init', requestId: client.id(), backend: 'wasm' });
    client.send({ type: 'configure', requestId: client.id(), config });
    workers[0]!.onmessage?.({ data: { type: 'eval', modelId: 'm', result: { step: 1, train: 2, val: 3 } } } as MessageEvent<FromWorker>);
    expect(heard.map((m) => m.type)).toEqual(['eval']);

    workers[0]!.crash('out of memory');
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(client.restarts).toBe(1);
    expect(heard.at(-1)).toMatchObject({ type: 'error', scope: 'worker', message: expect.stringMatching(/crashed \(out of memory\) and was restarted/) });
    // Set up again as before: the same backend and configuration, each a request of its own (a fresh id for init).
    expect(workers[1]!.sent).toEqual([
      { type: 'init', requestId: expect.any(Number), backend: 'wasm' },
      { type: 'configure', requestId: 2, config },
    ]);
    expect((workers[1]!.sent[0] as { requestId: number }).requestId).toBeGreaterThan(2);
    // The new worker is the one that gets commands and is listened to.
    client.send({ type: 'resume' });
    expect(workers[1]!.sent.at(-1)).toEqual({ type: 'resume' });
    expect(workers[0]!.sent.at(-1)).toEqual({ type: 'configure', requestId: 2, config });
    workers[1]!.onmessage?.({ data: { type: 'sample', modelId: 'm', step: 1, prompt: 'a', text: 'b' } } as MessageEvent<FromWorker>);
    expect(heard.at(-1)!.type).toBe('sample');
  });
});

describe('TrainerClient watchdog', () => {
  const setup = clientWithClock;

  it('says a run stalled after 15 s without progress (or 10 steps, when steps are slow), and never while paused', () => {
    const h = setup();
    h.progress('running', 0, 0);
    h.pass(30_000);
    expect(h.stalls).toEqual([]); // the first step may take up to a minute (kernels compile)
    h.progress('running', 1, 100);
    h.progress('running', 2, 200); // 100 ms a step
    h.pass(14_000);
    h.progress('running', 3, 300); // alive
    h.pass(14_000);
    expect(h.stalls).toEqual([]);
    h.pass(2_000);
    expect(h.stalls).toHaveLength(1);
    expect(h.stalls[0]).toBeGreaterThan(15_000);
    h.client.terminate();

    // Slow steps (4 s each): 15 s of silence is normal, 10 steps' worth is not.
    const slow = setup();
    slow.progress('running', 0, 0);
    slow.progress('running', 1, 4_000);
    slow.progress('running', 2, 8_000);
    slow.pass(30_000);
    expect(slow.stalls).toEqual([]);
    slow.pass(12_000);
    expect(slow.stalls).toHaveLength(1);
    slow.client.terminate();

    // Paused: silence is expected.
    const paused = setup();
    paused.progress('running', 0, 0);
    paused.progress('running', 1, 100);
    paused.progress('paused', 1, 100);
    paused.pass(120_000);
    expect(paused.stalls).toEqual([]);
    paused.client.terminate();
  });

  it("a big model's first step is as slow as the worker estimated: no stall at 61 s when a step takes 80 s, and a stall past ten of them", () => {
    const h = clientWithClock();
    h.progress('running', 0, 0);
    // Before its first step the worker times one sequence's forward pass and says what a step should take.
    h.hear(progressEvent('m', 'running', 0, { stepMsEstimate: 80_000 }));
    h.pass(81_000);
    expect(h.stalls).toEqual([]);
    h.progress('running', 1, 80_000); // the step took 80 s: the next limit is ten of them
    h.pass(700_000);
    expect(h.stalls).toEqual([]);
    h.pass(110_000);
    expect(h.stalls).toHaveLength(1);
    // The floors are the client's (a test or the console may lower them; the scaling stays).
    const quick = clientWithClock();
    quick.client.limits = { minMs: 1000, firstStepMs: 1000 };
    quick.progress('running', 0, 0);
    quick.pass(3000);
    expect(quick.stalls).toHaveLength(1);
  });

  it('a restart after a stall sets the new worker up with the uploaded corpus bytes, not an empty text', () => {
    const h = setup();
    const bytes = new TextEncoder().encode('my own corpus').buffer as ArrayBuffer;
    const config = { targetSteps: 5, corpus: { name: 'mine.txt', text: '' } } as SessionConfig;
    h.client.send({ type: 'init', requestId: h.client.id(), backend: 'wasm' });
    h.client.send({ type: 'configure', requestId: h.client.id(), config, corpusBytes: bytes }, [bytes]);
    h.client.restart({ stalledSeconds: 16 });
    expect(h.heard.at(-1)).toMatchObject({
      type: 'error',
      scope: 'worker',
      message: expect.stringMatching(/stopped answering \(no progress for 16 s\) and was restarted/),
    });
    const again = h.workers[1]!.sent[1] as Extract<ToWorker, { type: 'configure' }>;
    expect(again.type).toBe('configure');
    expect(new TextDecoder().decode(again.corpusBytes)).toBe('my own corpus');
    h.client.terminate();
  });
});

describe('TrainerClient: every request has a time limit', () => {
  const setup = clientWithClock;
  const config = { targetSteps: 5 } as SessionConfig;

  it('a model change that never answers is caught, and says what it waited for', () => {
    const h = setup();
    h.client.send({ type: 'configure', requestId: h.client.id(), config });
    h.pass(59_000);
    expect(h.stalls).toEqual([]);
    h.pass(2_000);
    expect(h.waitedFor).toEqual(['model']);
    h.client.terminate();
  });

  it('a slow but healthy build is not: the worker says how far it got (busy), then answers', () => {
    const h = setup();
    const requestId = h.client.id();
    h.client.send({ type: 'configure', requestId, config });
    for (let i = 0; i < 12; i++) {
      h.pass(10_000); // two minutes in all, each 10 s with a sign of life
      h.hear({ type: 'busy', what: 'tokenizer', done: 64 * (i + 1), total: 1024 });
    }
    h.hear({ type: 'answer', kind: 'configure', requestId, model: {} as ModelSummary });
    h.pass(120_000); // answered: nothing waits any more
    expect(h.stalls).toEqual([]);
    h.client.terminate();
  });

  it('a prediction has 30 s; a newer one replaces the older; answered predictions stop the clock', () => {
    const h = setup();
    h.client.send({ type: 'predict', requestId: 1, prompt: 'a' });
    h.client.send({ type: 'predict', requestId: 2, prompt: 'ab' });
    h.pass(20_000);
    // The worker never answers the older one (the newest wins): the newer's answer settles both.
    h.hear({ type: 'answer', kind: 'predict', requestId: 2, modelId: 'm', prompt: 'ab', step: 0, prediction: {} as never });
    h.pass(60_000);
    expect(h.stalls).toEqual([]);
    h.client.send({ type: 'predict', requestId: 3, prompt: 'abc' });
    h.pass(31_000);
    expect(h.waitedFor).toEqual(['prediction']);
    h.client.terminate();
  });

  it('answers and failures settle the request with their requestId, not another of the same kind', () => {
    const h = setup();
    h.client.send({ type: 'configure', requestId: 1, config });
    h.client.send({ type: 'save', requestId: 2, target: { kind: 'export' } });
    h.pass(30_000);
    h.hear({ type: 'failed', kind: 'save', requestId: 2, scope: 'checkpoint', notice: notice('noModel'), message: 'No model yet' });
    h.hear({ type: 'answer', kind: 'configure', requestId: 99, model: {} as ModelSummary }); // someone else's
    expect(h.heard.map((m) => m.type)).toEqual(['failed', 'answer']); // the listener hears both
    h.pass(59_000);
    expect(h.stalls).toEqual([]); // the worker spoke 59 s ago
    h.pass(2_000);
    expect(h.waitedFor).toEqual(['model']); // request 1 still waited
    h.client.terminate();
  });

  it('the limits and what the page waited for come from the REQUESTS table; unwatched requests never stall', () => {
    for (const [kind, spec] of Object.entries(REQUESTS)) {
      const h = setup();
      h.client.send({ type: kind, requestId: h.client.id() } as ToWorker);
      if (spec.limitMs === null) {
        h.pass(600_000);
        expect(h.stalls, kind).toEqual([]);
      } else {
        h.pass(spec.limitMs - 1_000);
        expect(h.stalls, kind).toEqual([]);
        h.pass(2_000);
        expect(h.waitedFor, kind).toEqual([spec.waitingFor]);
      }
      h.client.terminate();
    }
  });
});
