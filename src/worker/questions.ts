/**
 * Questions to the model — next words, attention maps, generated text — answered between
 * training steps (the run loop serves them after each step) or at once when nothing
 * trains. The newest prediction wins: an older one still waiting is dropped, and one
 * answered while a newer arrived is not posted (it would be stale).
 */
import { attentionMaps, generate, predictNext } from '../predict/predictor';
import { noModel, type Live } from './live';
import { noticeOf } from '../i18n';
import { assertNever, errorMessage, type FromWorker, type ToWorker } from './protocol';

export type Question = Extract<ToWorker, { type: 'predict' }> | Extract<ToWorker, { type: 'attention' }> | Extract<ToWorker, { type: 'generate' }>;

export class QuestionQueue {
  /** The newest waiting prediction (older ones are replaced, i.e. dropped). */
  private pendingPredict?: Extract<ToWorker, { type: 'predict' }>;
  private queue: Question[] = [];
  private serving = false;
  /** Held while an experiment switches backends (experiments.ts): questions wait, then are answered. */
  private held = false;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    private readonly post: (msg: FromWorker) => void,
    private readonly live: () => Live | undefined,
  ) {}

  ask(q: Question): void {
    if (q.type === 'predict') this.pendingPredict = q;
    else this.queue.push(q);
  }

  /** Hold questions (and wait for the pass in progress to end), or let them be answered again. */
  async hold(on: boolean): Promise<void> {
    this.held = on;
    if (on) await this.pass;
  }

  /** Answer everything waiting, newest prediction first. One pass at a time. */
  serve(): Promise<void> {
    if (this.serving || this.held) return Promise.resolve(); // the pass in progress answers what arrives
    return (this.pass = this.servePass());
  }

  private async servePass(): Promise<void> {
    this.serving = true;
    try {
      for (;;) {
        const q = this.held ? undefined : (this.pendingPredict ?? this.queue.shift());
        if (!q) return;
        if (q === this.pendingPredict) this.pendingPredict = undefined;
        await this.answer(q);
      }
    } finally {
      this.serving = false;
    }
  }

  private async answer(q: Question): Promise<void> {
    const live = this.live();
    try {
      if (!live) throw noModel();
      switch (q.type) {
        case 'predict': {
          const prediction = await predictNext(live.model, live.tokenizer, q.prompt, {
            topTokens: q.topTokens ?? 10,
            beam: { topWords: q.topWords ?? 10 },
            ...(q.track ? { track: q.track } : {}),
          });
          if (this.pendingPredict) return; // a newer request arrived meanwhile: this answer is stale
          this.post({ type: 'prediction', requestId: q.requestId, prompt: q.prompt, step: live.trainer.step, prediction });
          return;
        }
        case 'attention': {
          const ids = live.tokenizer.encode(q.prompt).slice(-live.model.config.blockSize);
          const maps = await attentionMaps(live.model, ids);
          this.post({ type: 'attention', requestId: q.requestId, tokens: ids.map((i) => live.tokenizer.tokenDisplay(i)), maps });
          return;
        }
        case 'generate': {
          for await (const token of generate(live.model, live.tokenizer, q.prompt, q.sample)) {
            this.post({ type: 'generated', requestId: q.requestId, token, done: false });
          }
          this.post({ type: 'generated', requestId: q.requestId, token: null, done: true });
          return;
        }
        default:
          return assertNever(q);
      }
    } catch (e) {
      this.post(errorMessage(q.type === 'generate' ? 'generate' : 'predict', noticeOf(e), q.requestId));
    }
  }
}
