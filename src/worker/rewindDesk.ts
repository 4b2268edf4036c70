/**
 * Rewind's desk (issue 27): answers the page's questions to one of the run's snapshots —
 * the ranked next words, attention, the embedding map, the logit lens, a short sample, the film strip —
 * with a model of its own (a copy of the live model's sizes, into which a snapshot's
 * weights are put), so the live model, its optimizer and the training run are never
 * touched: rewinding only reads what the keeper took.
 *
 * The film strip asks every snapshot the same question; each frame is kept (by snapshot,
 * prompt and tracked word), so a new snapshot costs one prediction, not the whole strip.
 * Answered at once, between training steps when a run is going (like the inside desk).
 */
import { createGPT, disposeGPT, type GPT } from '../model/gpt';
import { embeddingMap, frequentTokens, MAX_EMBEDDING_POINTS, tokenCounts } from '../predict/embeddings';
import { logitLens } from '../predict/lens';
import { attentionMaps, cropContext, generate, predictNext, type Prediction } from '../predict/predictor';
import { loadWeights, type WeightSnapshot } from '../train/rewindSet';
import { FolioError, notice } from '../i18n';
import { noModel, type Live } from './live';
import { assertNever } from './protocol';
import type { FilmFrame, RewindAnswer, RewindAsk } from './rewindProtocol';
import type { RewindKeeper } from './rewindKeeper';

/** The ranked list's own options (the page's next-words panel), so a frame's top word is the list's first row. */
const RANKED = { topTokens: 10, topWords: 10 };
/** Frames kept across requests, at most. */
const MAX_FRAMES = 512;

export class RewindError extends FolioError {
  override name = 'RewindError';
}

/** The first row of the ranked list as a film frame. */
export function frameOf(step: number, p: Prediction): FilmFrame {
  const tracked = p.tracked ? { tracked: p.tracked.p } : {};
  const run = p.bases?.runs[0];
  if (run) return { step, top: run.bases, p: run.p, ...tracked };
  const w = p.words.find((x) => x.word !== '<unk>');
  if (w) return { step, top: w.word, p: w.p, ...(w.continues ? { continues: true } : {}), ...tracked };
  const t = p.tokens[0];
  return { step, top: t?.display ?? '', p: t?.p ?? 0, ...tracked };
}

export class RewindDesk {
  /** The desk's own model, and which snapshot it holds. */
  private copy?: { model: GPT; key: string; snapId: number };
  private frames = new Map<string, FilmFrame>();
  private counts?: { live: Live; counts: Int32Array };
  private axes?: { id: string; axes: Float64Array[] };

  constructor(
    private readonly live: () => Live | undefined,
    private readonly keeper: RewindKeeper,
  ) {}

  /** One question at a time: they share the desk's copy, and a snapshot put into it mid-answer would change another's answer. */
  private turn: Promise<unknown> = Promise.resolve();

  answer(ask: RewindAsk): Promise<{ modelId: string; answer: RewindAnswer }> {
    const mine = this.turn.then(async () => {
      const live = this.live();
      if (!live) throw noModel();
      return { modelId: live.id, answer: await this.compute(live, ask) };
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async compute(live: Live, ask: RewindAsk): Promise<RewindAnswer> {
    const { tokenizer: tok } = live;
    switch (ask.kind) {
      case 'predict': {
        const model = this.modelAt(live, ask.step);
        const prediction = await predictNext(model, tok, ask.prompt, {
          topTokens: ask.topTokens ?? RANKED.topTokens,
          beam: { topWords: ask.topWords ?? RANKED.topWords },
          ...(ask.track ? { track: ask.track } : {}),
          ...(ask.temperature !== undefined ? { temperature: ask.temperature } : {}),
        });
        return { kind: 'predict', step: ask.step, prompt: ask.prompt, prediction };
      }
      case 'attention': {
        const model = this.modelAt(live, ask.step);
        const ids = cropContext(tok.encode(ask.prompt), model.config.blockSize);
        const maps = await attentionMaps(model, ids);
        return { kind: 'attention', step: ask.step, prompt: ask.prompt, tokens: ids.map((i) => tok.tokenDisplay(i)), maps };
      }
      case 'embeddings': {
        const model = this.modelAt(live, ask.step);
        if (this.counts?.live !== live) this.counts = { live, counts: tokenCounts(live.data.train, model.config.vocabSize) };
        const { counts } = this.counts;
        const ids = frequentTokens(counts, Math.min(ask.max ?? MAX_EMBEDDING_POINTS, MAX_EMBEDDING_POINTS));
        // The last map's axes keep the next from flipping while the person scrubs.
        const { map, axes } = await embeddingMap(model, tok, ids, counts, this.axes?.id === live.id ? this.axes.axes : undefined);
        this.axes = { id: live.id, axes };
        return { kind: 'embeddings', step: ask.step, map };
      }
      case 'lens':
        return { kind: 'lens', step: ask.step, prompt: ask.prompt, lens: await logitLens(this.modelAt(live, ask.step), tok, ask.prompt) };
      case 'sample': {
        const model = this.modelAt(live, ask.step);
        let text = '';
        for await (const t of generate(model, tok, ask.prompt, ask.sample)) text += t.text;
        return { kind: 'sample', step: ask.step, prompt: ask.prompt, text };
      }
      case 'strip': {
        const set = this.keeper.setOf(live);
        if (!set) throw new RewindError(notice('rewindNoRun'));
        const frames: FilmFrame[] = [];
        const track = ask.track?.trim() ?? '';
        for (const snap of set.snapshots) {
          const key = `${snap.id}\u0000${ask.prompt}\u0000${track}`;
          let frame = this.frames.get(key);
          if (!frame) {
            const model = this.modelOf(live, snap);
            frame = frameOf(
              snap.step,
              await predictNext(model, tok, ask.prompt, { topTokens: RANKED.topTokens, beam: { topWords: RANKED.topWords }, ...(track ? { track } : {}) }),
            );
            if (this.frames.size >= MAX_FRAMES) this.frames.clear();
            this.frames.set(key, frame);
          }
          frames.push(frame);
        }
        return { kind: 'strip', prompt: ask.prompt, ...(track ? { track } : {}), frames };
      }
      default:
        return assertNever(ask);
    }
  }

  /** The model as it was at `step` (a snapshot the run keeps). */
  private modelAt(live: Live, step: number): GPT {
    const set = this.keeper.setOf(live);
    if (!set || set.snapshots.length === 0) throw new RewindError(notice('rewindNoRun'));
    const snap = set.at(step);
    if (!snap) throw new RewindError(notice('rewindNoSnapshot', { step }));
    return this.modelOf(live, snap);
  }

  /** The desk's copy holding `snap`'s weights (made again only when the sizes change). */
  private modelOf(live: Live, snap: WeightSnapshot): GPT {
    const key = JSON.stringify(live.model.config);
    if (this.copy?.key !== key) {
      this.release();
      this.copy = { model: createGPT(live.model.config, 0), key, snapId: -1 };
    }
    if (this.copy.snapId !== snap.id) {
      loadWeights(this.copy.model, snap.weights);
      this.copy.snapId = snap.id;
    }
    return this.copy.model;
  }

  /** A new live model: the copy and the frames go. */
  release(): void {
    if (this.copy) disposeGPT(this.copy.model);
    this.copy = undefined;
    this.frames.clear();
    this.counts = undefined;
    this.axes = undefined;
  }
}
