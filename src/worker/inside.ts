/**
 * "Inside the model" in the worker: answers the page's `inside` requests — the embedding
 * map, the logit lens, one inspected step of backpropagation — and keeps what they carry
 * over from one request to the next: the tokens' frequencies and the map's last axes (so a
 * redraw does not flip), and the copy of the model that backpropagation is inspected on.
 *
 * The copy is the point: an inspected step changes the copy (and its copy of AdamW's
 * state), never the live model, so looking inside never disturbs the training run. A new
 * copy is taken when the example, the learning rate or the live model changed, when the
 * run trained on since the copy was taken, or when the page asks (`fresh`).
 *
 * Answered at once, between training steps when a run is going (the worker runs one
 * message at a time, so a step never sees half an answer).
 */
import { embeddingMap, frequentTokens, MAX_EMBEDDING_POINTS, tokenCounts } from '../predict/embeddings';
import { logitLens } from '../predict/lens';
import { StepInspector, wordExample } from '../train/inspectStep';
import { noticeOf } from '../i18n';
import { noModel, type Live } from './live';
import { assertNever, errorMessage, type FromWorker, type ToWorker } from './protocol';

type InsideMsg = Extract<ToWorker, { type: 'inside' }>;

export class InsideDesk {
  private freq?: { live: Live; counts: Int32Array };
  private axes?: { live: Live; axes: Float64Array[] };
  private copy?: { live: Live; key: string; fromStep: number; inspector: StepInspector };

  constructor(
    private readonly post: (msg: FromWorker) => void,
    private readonly live: () => Live | undefined,
  ) {}

  async answer(msg: InsideMsg): Promise<void> {
    const { requestId, ask } = msg;
    try {
      if (ask.kind === 'release') return this.release();
      const live = this.live();
      if (!live) throw noModel();
      switch (ask.kind) {
        case 'embeddings': {
          const counts = this.countsOf(live);
          const ids = frequentTokens(counts, Math.min(ask.max ?? MAX_EMBEDDING_POINTS, MAX_EMBEDDING_POINTS));
          const step = live.trainer.step;
          const { map, axes } = await embeddingMap(live.model, live.tokenizer, ids, counts, this.axes?.live === live ? this.axes.axes : undefined);
          this.axes = { live, axes };
          return this.post({ type: 'inside', requestId, answer: { kind: 'embeddings', step, map } });
        }
        case 'lens': {
          const step = live.trainer.step;
          const lens = await logitLens(live.model, live.tokenizer, ask.prompt);
          return this.post({ type: 'inside', requestId, answer: { kind: 'lens', step, prompt: ask.prompt, lens } });
        }
        case 'backprop': {
          const ex = wordExample(live.tokenizer, ask.prompt, ask.word, live.model.config.blockSize);
          const lr = ask.lr !== undefined && ask.lr > 0 && Number.isFinite(ask.lr) ? ask.lr : live.trainer.lr;
          const key = JSON.stringify([ask.prompt, ask.word.trim(), lr]);
          const c = this.copy;
          if (ask.fresh || !c || c.live !== live || c.key !== key || c.fromStep !== live.trainer.step) {
            this.release();
            this.copy = { live, key, fromStep: live.trainer.step, inspector: StepInspector.of(live.trainer, lr) };
          }
          const result = await this.copy!.inspector.step(ex);
          const tokens = ex.ids.slice(ex.ids.length - ex.wordTokens).map((id) => live.tokenizer.tokenDisplay(id));
          return this.post({ type: 'inside', requestId, answer: { kind: 'backprop', prompt: ask.prompt, word: ask.word.trim(), tokens, result } });
        }
        default:
          return assertNever(ask);
      }
    } catch (e) {
      this.post(errorMessage('predict', noticeOf(e), requestId));
    }
  }

  /** Free the inspected copy (a new model, a closed view). */
  release(): void {
    this.copy?.inspector.dispose();
    this.copy = undefined;
  }

  private countsOf(live: Live): Int32Array {
    if (this.freq?.live !== live) this.freq = { live, counts: tokenCounts(live.data.train, live.model.config.vocabSize) };
    return this.freq.counts;
  }
}
