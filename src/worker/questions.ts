/**
 * Questions to the model — next words, attention maps, generated text — answered between
 * training steps (the run loop serves them after each step) or at once when nothing
 * trains. The newest prediction wins: an older one still waiting is dropped, and one
 * answered while a newer arrived is not posted (it would be stale).
 */
import { attentionMaps, generate, predictNext, type GeneratedToken } from '../predict/predictor';
import { noModel, type Live } from './live';
import { assertNever, type Ask, type Requests } from './protocol';

export type Question = Ask<'predict'> | Ask<'attention'> | Ask<'generate'>;
type Answer = Requests['predict' | 'attention' | 'generate']['answer'];

/** A question waiting, with what settles its answer (undefined: a newer one made it moot). */
interface Waiting {
  q: Question;
  onToken?: (token: GeneratedToken) => void;
  resolve: (answer: Answer | undefined) => void;
  reject: (e: unknown) => void;
}

export class QuestionQueue {
  /** The newest waiting prediction (older ones are replaced, i.e. dropped). */
  private pendingPredict?: Waiting;
  private queue: Waiting[] = [];
  private serving = false;
  /** Held while an experiment switches backends (experiments.ts): questions wait, then are answered. */
  private held = false;
  private pass: Promise<void> = Promise.resolve();

  constructor(private readonly live: () => Live | undefined) {}

  /** Queue a question; its answer comes when it is served (`onToken`: each generated token as it comes). */
  ask(q: Question, onToken?: (token: GeneratedToken) => void): Promise<Answer | undefined> {
    return new Promise((resolve, reject) => {
      const w: Waiting = { q, resolve, reject, ...(onToken ? { onToken } : {}) };
      if (q.type === 'predict') {
        this.pendingPredict?.resolve(undefined); // never answered: the newer one is
        this.pendingPredict = w;
      } else this.queue.push(w);
    });
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
        const w = this.held ? undefined : (this.pendingPredict ?? this.queue.shift());
        if (!w) return;
        if (w === this.pendingPredict) this.pendingPredict = undefined;
        try {
          w.resolve(await this.answer(w));
        } catch (e) {
          w.reject(e);
        }
      }
    } finally {
      this.serving = false;
    }
  }

  private async answer({ q, onToken }: Waiting): Promise<Answer | undefined> {
    const live = this.live();
    if (!live) throw noModel();
    switch (q.type) {
      case 'predict': {
        const prediction = await predictNext(live.model, live.tokenizer, q.prompt, {
          topTokens: q.topTokens ?? 10,
          beam: { topWords: q.topWords ?? 10 },
          ...(q.track ? { track: q.track } : {}),
          ...(q.temperature !== undefined ? { temperature: q.temperature } : {}),
        });
        if (this.pendingPredict) return undefined; // a newer request arrived meanwhile: this answer is stale
        return { modelId: live.id, prompt: q.prompt, step: live.trainer.step, prediction };
      }
      case 'attention': {
        const ids = live.tokenizer.encode(q.prompt).slice(-live.model.config.blockSize);
        const maps = await attentionMaps(live.model, ids);
        return { modelId: live.id, tokens: ids.map((i) => live.tokenizer.tokenDisplay(i)), maps };
      }
      case 'generate': {
        let count = 0;
        for await (const token of generate(live.model, live.tokenizer, q.prompt, q.sample)) {
          count++;
          onToken?.(token);
        }
        return { modelId: live.id, count };
      }
      default:
        return assertNever(q);
    }
  }
}
