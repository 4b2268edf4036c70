import { describe, expect, it } from 'vitest';
import { TrainerClient } from '../../src/worker/client';
import type { FromWorker, SessionConfig, ToWorker } from '../../src/worker/protocol';

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
  const progress = (state: 'running' | 'paused', step: number, elapsedMs: number) =>
    hear({ type: 'progress', state, stage: 'pretrain', step, targetSteps: 100, losses: [], tokensPerSec: 0, lr: 0, elapsedMs });
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
    client.send({ type: 'init', backend: 'wasm' });
    client.send({ type: 'configure', config });
    workers[0]!.onmessage?.({ data: { type: 'eval', result: { step: 1, train: 2, val: 3 } } } as MessageEvent<FromWorker>);
    expect(heard.map((m) => m.type)).toEqual(['eval']);

    workers[0]!.crash('out of memory');
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(client.restarts).toBe(1);
    expect(heard.at(-1)).toMatchObject({ type: 'error', scope: 'worker', message: expect.stringMatching(/crashed \(out of memory\) and was restarted/) });
    expect(workers[1]!.sent).toEqual([
      { type: 'init', backend: 'wasm' },
      { type: 'configure', config },
    ]);
    // The new worker is the one that gets commands and is listened to.
    client.send({ type: 'start' });
    expect(workers[1]!.sent.at(-1)).toEqual({ type: 'start' });
    expect(workers[0]!.sent.at(-1)).toEqual({ type: 'configure', config });
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

  it('a restart after a stall sets the new worker up with the uploaded corpus bytes, not an empty text', () => {
    const h = setup();
    const bytes = new TextEncoder().encode('my own corpus').buffer as ArrayBuffer;
    const config = { targetSteps: 5, corpus: { name: 'mine.txt', text: '' } } as SessionConfig;
    h.client.send({ type: 'init', backend: 'wasm' });
    h.client.send({ type: 'configure', config, corpusBytes: bytes }, [bytes]);
    h.client.restart({ stalledSeconds: 16 });
    expect(h.heard.at(-1)).toMatchObject({ type: 'error', scope: 'worker', message: expect.stringMatching(/stopped answering \(no progress for 16 s\) and was restarted/) });
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
    h.client.send({ type: 'configure', config });
    h.pass(59_000);
    expect(h.stalls).toEqual([]);
    h.pass(2_000);
    expect(h.waitedFor).toEqual(['model']);
    h.client.terminate();
  });

  it('a slow but healthy build is not: the worker says how far it got (busy), then answers', () => {
    const h = setup();
    h.client.send({ type: 'configure', config });
    for (let i = 0; i < 12; i++) {
      h.pass(10_000); // two minutes in all, each 10 s with a sign of life
      h.hear({ type: 'busy', what: 'tokenizer', done: 64 * (i + 1), total: 1024 });
    }
    h.hear({ type: 'ready', backend: { name: 'cpu', label: 'CPU', skipped: [], requested: 'cpu' }, model: {} as never });
    h.pass(120_000); // answered: nothing waits any more
    expect(h.stalls).toEqual([]);
    h.client.terminate();
  });

  it('a prediction has 30 s; a newer one replaces the older; answered predictions stop the clock', () => {
    const h = setup();
    h.client.send({ type: 'predict', requestId: 1, prompt: 'a' });
    h.client.send({ type: 'predict', requestId: 2, prompt: 'ab' });
    h.pass(20_000);
    h.hear({ type: 'prediction', requestId: 2, prompt: 'ab', step: 0, prediction: {} as never });
    h.pass(60_000);
    expect(h.stalls).toEqual([]);
    h.client.send({ type: 'predict', requestId: 3, prompt: 'abc' });
    h.pass(31_000);
    expect(h.waitedFor).toEqual(['prediction']);
    h.client.terminate();
  });
});
