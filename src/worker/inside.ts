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
import { noModel, type Live } from './live';
import { assertNever } from './protocol';
import type { InsideAnswer, InsideAsk } from './summary';

export class InsideDesk {
  private freq?: { live: Live; counts: Int32Array };
  private axes?: { id: string; axes: Float64Array[] };
  /** The inspected copy: of which model (id), for which example, taken after how many of its steps. */
  private copy?: { id: string; key: string; fromStep: number; inspector: StepInspector };

  constructor(
    private readonly live: () => Live | undefined,
    /** Every step the live model took (a fine-tuning stage moves its weights without moving pre-training's step). */
    private readonly stepsOf: (live: Live) => number,
  ) {}

  async answer(ask: InsideAsk): Promise<{ modelId: string; answer: InsideAnswer | null }> {
    const live = this.live();
    if (ask.kind === 'release') {
      this.release();
      return { modelId: live?.id ?? '', answer: null };
    }
    if (!live) throw noModel();
    return { modelId: live.id, answer: await this.compute(live, ask) };
  }

  private async compute(live: Live, ask: Exclude<InsideAsk, { kind: 'release' }>): Promise<InsideAnswer> {
    switch (ask.kind) {
      case 'embeddings': {
        const counts = this.countsOf(live);
        const ids = frequentTokens(counts, Math.min(ask.max ?? MAX_EMBEDDING_POINTS, MAX_EMBEDDING_POINTS));
        const step = live.trainer.step;
        const { map, axes } = await embeddingMap(live.model, live.tokenizer, ids, counts, this.axes?.id === live.id ? this.axes.axes : undefined);
        this.axes = { id: live.id, axes };
        return { kind: 'embeddings', step, map };
      }
      case 'lens': {
        const step = live.trainer.step;
        const lens = await logitLens(live.model, live.tokenizer, ask.prompt);
        return { kind: 'lens', step, prompt: ask.prompt, lens };
      }
      case 'backprop': {
        const ex = wordExample(live.tokenizer, ask.prompt, ask.word, live.model.config.blockSize);
        const lr = ask.lr !== undefined && ask.lr > 0 && Number.isFinite(ask.lr) ? ask.lr : live.trainer.lr;
        const key = JSON.stringify([ask.prompt, ask.word.trim(), lr]);
        const c = this.copy;
        const steps = this.stepsOf(live);
        if (ask.fresh || !c || c.id !== live.id || c.key !== key || c.fromStep !== steps) {
          this.release();
          this.copy = { id: live.id, key, fromStep: steps, inspector: StepInspector.of(live.trainer, lr) };
        }
        const result = await this.copy!.inspector.step(ex);
        const tokens = ex.ids.slice(ex.ids.length - ex.wordTokens).map((id) => live.tokenizer.tokenDisplay(id));
        return { kind: 'backprop', prompt: ask.prompt, word: ask.word.trim(), tokens, result };
      }
      default:
        return assertNever(ask);
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
