/**
 * The pre-training text as fine-tuning uses it: windows of the corpus that the tuning data
 * does not touch. Two uses: a fixed set of them is the cost meter's probe (costMeter.ts:
 * what else changed), and a batch of them goes into each of a stage's steps so the model
 * keeps what it knew (its predictions there held to the model before the stage, see
 * tuners.ts `optimiseKeeping`; InstructGPT mixed in the pre-training loss for the same end).
 *
 * "Touch": a window touches the tuning data when it contains the end of one of its
 * prompts (the last few tokens). A window about "…over the lazy" is what DPO on "…over the
 * lazy cat" is *meant* to change; measuring or holding it there would fight the stage.
 *
 * A probe ends where a word is about to start (its last token ends with a space, or the
 * next one starts with one), so the meter reads the model where the ranked words are
 * uncertain: in the middle of a word a character model is nearly sure of the next letter,
 * and those positions would water a real change down (DPO that moved an unrelated
 * prompt's ranked words by a total variation of 0.3 read as a mean KL of 0.04 over all positions).
 * Not a model: plain token arrays.
 */
import { Rng, mix } from '../../util/rng';
import type { Packed } from './tuning';

/** Tokens of a prompt's end that mark a window as touched. */
const TAIL = 8;

/** Tokens that end with a space, and tokens that start with a space before a word (a word starts after the first, or with the second). */
export interface WordEdges {
  endsSpace: ReadonlySet<number>;
  startsSpace: ReadonlySet<number>;
}

/** A tokenizer's word edges, from its tokens' text. */
export function wordEdges(tok: { vocabSize: number; tokenText(id: number): string }): WordEdges {
  const endsSpace = new Set<number>();
  const startsSpace = new Set<number>();
  for (let id = 0; id < tok.vocabSize; id++) {
    const t = tok.tokenText(id);
    if (/\s$/.test(t)) endsSpace.add(id);
    if (/^\s+\S/.test(t)) startsSpace.add(id); // " dog" starts a word; " " alone ends one (a character model's space)
  }
  return { endsSpace, startsSpace };
}

export class PretrainText {
  private readonly tails: number[][];

  /**
   * `train` and `val`: the corpus's token streams (the model trained on `train`; `val`
   * holds the probes); `prompts`: the tuning data's prompts, as token ids; `edges`: where
   * words start (none: a probe may end anywhere).
   */
  constructor(
    private readonly train: Int32Array,
    private readonly val: Int32Array,
    readonly blockSize: number,
    prompts: readonly number[][],
    private readonly edges?: WordEdges,
  ) {
    const seen = new Set<string>();
    this.tails = [];
    for (const p of prompts) {
      const tail = p.slice(-TAIL);
      const key = tail.join(',');
      if (!tail.length || seen.has(key)) continue;
      seen.add(key);
      this.tails.push(tail);
    }
  }

  /** Whether `w` contains the end of a tuning prompt. */
  touches(w: Int32Array): boolean {
    return this.tails.some((tail) => {
      for (let i = 0; i + tail.length <= w.length; i++) {
        let k = 0;
        while (k < tail.length && w[i + k] === tail[k]) k++;
        if (k === tail.length) return true;
      }
      return false;
    });
  }

  /**
   * `n` windows of `length` tokens from `stream`, drawn by `rng`, that the tuning data does
   * not touch. A corpus the data touches almost everywhere still gives `n` (the touched
   * ones fill the rest): a meter with no prompts would say nothing at all.
   */
  private windows(stream: Int32Array, n: number, length: number, rng: Rng, atWordStart = false): Int32Array[] {
    const maxStart = stream.length - length;
    if (maxStart < 0) return [];
    const out: Int32Array[] = [];
    const spare: Int32Array[] = [];
    for (let tries = 0; out.length < n && tries < 50 * n; tries++) {
      let o = rng.int(maxStart + 1);
      // Slide to the nearest window (a few tokens on) that ends where a word starts.
      if (atWordStart) for (let k = 0; k < 16 && o < maxStart && !this.wordStartsAfter(stream, o + length - 1); k++) o++;
      const w = stream.subarray(o, o + length);
      if (!this.touches(w) && (!atWordStart || this.wordStartsAfter(stream, o + length - 1))) out.push(w);
      else if (spare.length < n) spare.push(w);
    }
    return [...out, ...spare].slice(0, n);
  }

  /** Whether a word starts right after `stream[i]` (it ends with a space, or the next token starts with one). */
  private wordStartsAfter(stream: Int32Array, i: number): boolean {
    if (!this.edges) return true;
    return this.edges.endsSpace.has(stream[i]!) || (i + 1 < stream.length && this.edges.startsSpace.has(stream[i + 1]!));
  }

  /** The cost meter's fixed prompts: `n` windows of the context's length from the held-out split, each ending where a word starts (seeded). */
  probes(n: number, seed: number): Int32Array[] {
    const stream = this.val.length > this.blockSize ? this.val : this.train;
    return this.windows(stream, n, this.blockSize, new Rng(mix(seed, 0x9b0e)), true);
  }

  /** A batch of next-token windows from the training split for step `step`, as `pack` lays one out (every position scored). */
  batch(n: number, seed: number, step: number): Packed {
    const T = this.blockSize;
    const ws = this.windows(this.train, n, T + 1, new Rng(mix(seed, step, 0x7e7)));
    const B = ws.length;
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    ws.forEach((w, b) => {
      x.set(w.subarray(0, T), b * T);
      y.set(w.subarray(1, T + 1), b * T);
    });
    return { x, y, mask: new Float32Array(B * T).fill(1), B, T };
  }
}
