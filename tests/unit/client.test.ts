import { describe, expect, it } from 'vitest';
import { TrainerClient } from '../../src/train/client';
import type { FromWorker, SessionConfig, ToWorker } from '../../src/train/protocol';

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

describe('TrainerClient', () => {
  it('restarts a crashed worker, says so, and sets the new one up as before', () => {
    const workers: FakeWorker[] = [];
    const heard: FromWorker[] = [];
    const client = new TrainerClient(
      (m) => heard.push(m),
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
    );
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
