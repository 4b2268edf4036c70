/**
 * The session's side desks: requests about the live model that neither train it nor set it
 * up — fine-tuning's sample pairs and frozen reference, the views inside the model, the
 * bundled bow model, the backend race and size sweep, and the size probe. The session's
 * handler table (session.ts) sends those lines here and lends each desk what it needs.
 */
import * as tf from '@tensorflow/tfjs';
import { BowModel } from './bowModel';
import type { AnswerHandlers } from './protocol';
import { Experiments } from './experiments';
import type { ExperimentRequest } from './experimentProtocol';
import type { FineTuning } from './fineTuning';
import { InsideDesk } from './inside';
import type { Live } from './live';
import type { Ask, BackendName, BackendReport, FromWorker, Requests } from './protocol';
import type { QuestionQueue } from './questions';
import type { RunLoop } from './runLoop';
import { probeSizes } from './sizeProbe';

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

type Answer<K extends keyof Requests> = Promise<Requests[K]['answer']>;

export class Desks {
  private readonly insideDesk: InsideDesk;
  private readonly bow = new BowModel();
  private experiments?: Experiments; // the backend race and the size sweep (experiments.ts)

  constructor(private readonly d: DeskDeps) {
    this.insideDesk = new InsideDesk(d.live, (l) => d.tuning.totalSteps(l));
  }

  /** A new live model: what was kept for the old one goes. */
  modelChanged(): void {
    this.insideDesk.release();
  }

  /** The session's handlers for the desks' lines of the request table. */
  answers(): Pick<AnswerHandlers, 'samplePair' | 'chat' | 'predictReference' | 'inside' | 'bowView' | 'memory' | 'probeSizes'> {
    return {
      samplePair: (ask) => this.samplePair(ask),
      chat: (ask) => this.chat(ask),
      predictReference: (ask) => this.predictReference(ask),
      inside: (ask) => this.inside(ask),
      bowView: (ask) => this.bowView(ask),
      memory: () => ({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes }),
      probeSizes: (ask) => this.probeSizes(ask),
    };
  }

  async samplePair({ prompt, chars, seed }: Ask<'samplePair'>): Answer<'samplePair'> {
    const live = this.d.requireLive();
    return { modelId: live.id, prompt, ...(await this.d.tuning.samplePair(live, prompt, chars, seed)) };
  }

  async chat({ prompt, end }: Ask<'chat'>): Answer<'chat'> {
    const live = this.d.requireLive();
    return { modelId: live.id, prompt, answer: await this.d.tuning.answer(live, prompt, end) };
  }

  async predictReference({ prompt }: Ask<'predictReference'>): Answer<'predictReference'> {
    const live = this.d.requireLive();
    return { modelId: live.id, prompt, prediction: await this.d.tuning.predictReference(live, prompt) };
  }

  async inside({ ask }: Ask<'inside'>): Answer<'inside'> {
    return this.insideDesk.answer(ask);
  }

  bowView({ files, sentences }: Ask<'bowView'>): Answer<'bowView'> {
    return this.bow.answer(files, sentences);
  }

  async probeSizes({ budgetMs }: Ask<'probeSizes'>): Answer<'probeSizes'> {
    // Never while training: the timings would measure two jobs sharing the CPU.
    const busy = () => this.d.loop.looping;
    const vocabSize = this.d.requireLive().model.config.vocabSize;
    const timings = busy() ? [] : await probeSizes({ vocabSize, budgetMs, yieldToEvents: this.d.yieldToEvents, cancelled: busy });
    return { timings };
  }

  async experiment(request: ExperimentRequest): Promise<void> {
    const { post, loop, questions, live, pauses } = this.d;
    this.experiments ??= new Experiments({ post, choose: (b) => this.d.chooseBackend(b), loop, questions, live, pauses });
    await this.experiments.run(request, this.d.requireLive(), this.d.backend()!);
  }
}
