/**
 * The experiments' part of the worker session: the backend race (raceJob.ts) and the size
 * sweep (sweepJob.ts). Session.ts hands it each `experiment` message; a `stop` is handled
 * at once, the others in the session's order of setup messages.
 *
 * Around an experiment: training pauses (the loop leaves the live model alone), the
 * experiment runs on models of its own, then the backend in use before it is put back
 * (Folio's matMul threads included) and training resumes if it was running. The live
 * model's weights are never read or written here.
 */
import * as tf from '@tensorflow/tfjs';
import { holdGemmThreads } from '../kernels/threads/gemmThreads';
import { notice, noticeOf, noticeText } from '../i18n';
import type { ExperimentEvent, ExperimentRequest } from './experimentProtocol';
import type { Live } from './live';
import type { BackendName, BackendReport, FromWorker } from './protocol';
import { runRace } from './race';
import type { QuestionQueue } from './questions';
import type { RunLoop } from './runLoop';
import { runSweep } from './sweep';

export interface ExperimentHost {
  post: (msg: FromWorker) => void;
  /** The session's backend chooser. */
  choose: (name: BackendName) => Promise<BackendReport>;
  /** The session's run loop, paused around an experiment, and its live model. */
  loop: Pick<RunLoop, 'state' | 'stop' | 'start'>;
  /** Questions to the live model wait while backends change under it. */
  questions: Pick<QuestionQueue, 'hold' | 'serve'>;
  live: () => Live | undefined;
  /** How many pauses the session has seen: one during the experiment means "stay paused after it". */
  pauses?: () => number;
}

export class Experiments {
  private running = false;
  private stopRequested = false;

  constructor(private readonly host: ExperimentHost) {}

  /** Stop the experiment in progress (what finished stays). */
  stop(): void {
    if (this.running) this.stopRequested = true;
  }

  async run(request: ExperimentRequest, live: Live, backend: BackendReport): Promise<void> {
    const post = (event: ExperimentEvent) => this.host.post({ type: 'experiment', event });
    if (request.kind === 'stop') return this.stop();
    const what = request.kind;
    if (this.running) {
      const n = notice('experimentBusy');
      return post({ kind: 'experimentFailed', what, notice: n, message: noticeText('en', n) });
    }
    this.running = true;
    this.stopRequested = false;
    const stopped = () => this.stopRequested;
    const { loop } = this.host;
    const wasRunning = loop.state === 'running';
    const pausesBefore = this.host.pauses?.();
    await loop.stop();
    await this.host.questions.hold(true);
    try {
      if (request.kind === 'race') {
        await runRace(live, request, { post, choose: this.host.choose, stopped });
        post({ kind: 'raceDone', stopped: stopped() });
      } else {
        await runSweep(live, request, { post, stopped, backend: backend.name });
        post({ kind: 'sweepDone', stopped: stopped() });
      }
    } catch (e) {
      const n = notice('experimentFailed', { error: noticeText('en', noticeOf(e)) });
      post({ kind: 'experimentFailed', what, notice: n, message: noticeText('en', n) });
    } finally {
      this.running = false;
      this.stopRequested = false;
      // The backend as it was: the live model's weights live there.
      holdGemmThreads(false);
      if (tf.getBackend() !== backend.name) await tf.setBackend(backend.name);
      await this.host.questions.hold(false);
      if (!wasRunning) void this.host.questions.serve(); // (a running loop serves them between steps)
      const now = this.host.live();
      // Training goes on where it paused, unless the person pressed Pause meanwhile.
      if (wasRunning && now && this.host.pauses?.() === pausesBefore) loop.start(now);
    }
  }
}
