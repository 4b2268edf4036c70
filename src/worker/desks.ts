/**
 * The session's side desks: requests about the live model that neither train it nor set it
 * up — fine-tuning's sample pairs and frozen reference, the ratings, the views inside the
 * model, the bundled bow model, the backend race and size sweep, memory, and the size probe.
 * The session routes them here (session.ts stays a router of what changes the model) and
 * lends each desk what it needs.
 */
import * as tf from '@tensorflow/tfjs';
import { BowModel } from './bowModel';
import { Experiments } from './experiments';
import type { FineTuning } from './fineTuning';
import { InsideDesk } from './inside';
import type { Live } from './live';
import { assertNever, type BackendName, type BackendReport, type FromWorker, type ToWorker } from './protocol';
import type { QuestionQueue } from './questions';
import type { RunLoop } from './runLoop';
import { probeSizes } from './sizeProbe';

export type DeskMessage = Extract<ToWorker, { type: (typeof DESK_TYPES)[number] }>;
export const DESK_TYPES = ['samplePair', 'predictReference', 'feedback', 'inside', 'bowView', 'experiment', 'memory', 'probeSizes'] as const;

export function isDeskMessage(msg: ToWorker): msg is DeskMessage {
  return (DESK_TYPES as readonly string[]).includes(msg.type);
}

export interface DeskDeps {
  post: (msg: FromWorker) => void;
  live: () => Live | undefined;
  requireLive: () => Live;
  backend: () => BackendReport | undefined;
  chooseBackend: (requested: BackendName | 'auto') => Promise<BackendReport>;
  loop: RunLoop;
  questions: QuestionQueue;
  tuning: FineTuning;
  yieldToEvents?: () => Promise<void>;
  /** The session's count of pauses (an experiment does not resume training paused meanwhile). */
  pauses?: () => number;
}

export class Desks {
  private readonly inside: InsideDesk;
  private readonly bow = new BowModel();
  private experiments?: Experiments; // the backend race and the size sweep (experiments.ts)

  constructor(private readonly d: DeskDeps) {
    this.inside = new InsideDesk((m) => d.post(m), d.live);
  }

  async answer(msg: DeskMessage): Promise<void> {
    const { post, tuning, requireLive } = this.d;
    switch (msg.type) {
      case 'samplePair': {
        const [a, b] = await tuning.samplePair(requireLive(), msg.prompt, msg.tokens, msg.seed);
        return post({ type: 'samplePair', requestId: msg.requestId, prompt: msg.prompt, a, b });
      }
      case 'predictReference':
        return post({ type: 'referencePrediction', requestId: msg.requestId, prompt: msg.prompt, prediction: await tuning.predictReference(requireLive(), msg.prompt) });
      case 'feedback':
        tuning.ratings = [...msg.ratings];
        return;
      case 'inside':
        return await this.inside.answer(msg);
      case 'bowView':
        return post(await this.bow.answer(msg));
      case 'experiment':
        this.experiments ??= new Experiments({ post, choose: (b) => this.d.chooseBackend(b), loop: this.d.loop, questions: this.d.questions, live: this.d.live, pauses: this.d.pauses });
        return await this.experiments.run(msg.request, requireLive(), this.d.backend()!);
      case 'memory': {
        const m = tf.memory();
        return post({ type: 'memory', requestId: msg.requestId, numTensors: m.numTensors, numBytes: m.numBytes });
      }
      case 'probeSizes': {
        // Never while training: the timings would measure two jobs sharing the CPU.
        const busy = () => this.d.loop.looping;
        const vocabSize = requireLive().model.config.vocabSize;
        const timings = busy() ? [] : await probeSizes({ vocabSize, budgetMs: msg.budgetMs, yieldToEvents: this.d.yieldToEvents, cancelled: busy });
        return post({ type: 'sizeProbe', requestId: msg.requestId, timings });
      }
      default:
        return assertNever(msg);
    }
  }
}
