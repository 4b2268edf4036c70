/**
 * Next-token logits that reuse the work done for earlier contexts: a KV cache.
 *
 * A GPT's position t depends only on tokens 0..t, so once a prompt has been run, its
 * keys and values (per layer) are all a longer context needs of it. The beam that ranks
 * next words asks, at each depth, for up to 24 contexts that are each one token longer
 * than one of the previous depth's: with the cache, each costs one position — the
 * parent's keys and values are gathered (one batched call for the whole beam) and the
 * new token attends to them — instead of a whole forward pass over the prompt. Generation
 * is the same with a beam of one.
 *
 * The answers are the model's, not an approximation: the same logits as a full pass, up
 * to float rounding (tests hold the words and probabilities to 1e-5). A context longer
 * than the model's window is cropped at the front, which moves every token's position,
 * so nothing from earlier calls applies; what the windows of one call share is run once.
 *
 * Memory: the batches of the last call and the first one (usually the prompt) are kept;
 * older ones are freed after each call. `dispose()` frees the rest.
 */
import * as tf from '@tensorflow/tfjs';
import { forward, type GPT, type KVCache } from '../model/gpt';
import { asLogits, type Logits } from './probs';
import { cropContext } from './crop';

/** The keys and values of one batched call: row r holds one context's positions. */
interface Batch {
  cache: KVCache; // [layer] (rows, nh, length, hs)
  length: number;
}

interface Entry {
  batch: Batch;
  row: number;
  logits: Logits;
}

const keyOf = (ids: number[]) => ids.join(',');

export class CachedLogits {
  private entries = new Map<string, Entry>(); // by the model's input: the context, cropped to the window
  private batches: Batch[] = []; // batches[0]: the first one, kept to the end
  /** Model positions computed so far (a full pass per context would cost the sum of their lengths). */
  positions = 0;

  constructor(private readonly model: GPT) {}

  /** Logits for the token after each context. */
  async logits(contexts: number[][]): Promise<Logits[]> {
    const windows = contexts.map((c) => cropContext(c, this.model.config.blockSize));
    const fresh: Batch[] = [];
    await this.sharePrefix(
      windows.filter((w, i) => w.length < contexts[i]!.length),
      fresh,
    );
    const out: Logits[] = new Array(contexts.length);
    // Group the misses by (parent batch, tokens to add): each group is one model call.
    const groups = new Map<string, { parent?: Batch; n: number; members: { i: number; row: number }[] }>();
    windows.forEach((w, i) => {
      const hit = this.entries.get(keyOf(w));
      if (hit) return void (out[i] = hit.logits);
      const parent = this.longestPrefix(w);
      const n = w.length - (parent?.batch.length ?? 0);
      const gk = `${parent ? this.batches.indexOf(parent.batch) : -1}:${n}`;
      const g = groups.get(gk) ?? { ...(parent ? { parent: parent.batch } : {}), n, members: [] };
      g.members.push({ i, row: parent?.row ?? 0 });
      groups.set(gk, g);
    });
    for (const { parent, n, members } of groups.values()) {
      const rows = await this.run(
        parent,
        members.map(({ i }) => windows[i]!.slice(windows[i]!.length - n)),
        members.map((m) => m.row),
        fresh,
      );
      members.forEach(({ i }, r) => (out[i] = this.remember(windows[i]!, rows[r]!)));
    }
    this.release(fresh);
    return out;
  }

  /**
   * Contexts longer than the window are cropped at the front, so their tokens sit at other
   * positions than in the last call and nothing cached applies. But the windows of one
   * beam depth start alike (the prompt's tail, at the same positions): that common part
   * runs once, and each window adds only its own tokens after it.
   */
  private async sharePrefix(cropped: number[][], fresh: Batch[]): Promise<void> {
    if (cropped.length < 2) return;
    let L = cropped[0]!.length - 1;
    for (const w of cropped) for (let t = 0; t < L; t++) if (w[t] !== cropped[0]![t]) L = t;
    const prefix = cropped[0]!.slice(0, L);
    if (L === 0 || this.entries.has(keyOf(prefix))) return;
    const [row] = await this.run(undefined, [prefix], [0], fresh);
    this.remember(prefix, row!);
  }

  /** One model call: `tokens` (equal lengths) after the rows `rows` of `parent`'s cache. */
  private async run(parent: Batch | undefined, tokens: number[][], rows: number[], fresh: Batch[]): Promise<{ batch: Batch; row: number; logits: Logits }[]> {
    const [R, n] = [tokens.length, tokens[0]!.length];
    const { last, k, v } = tf.tidy(() => {
      const pastRows = parent && !isIdentity(rows, parent) ? { pastRows: tf.tensor1d(rows, 'int32') } : {};
      const past = parent ? { past: parent.cache, ...pastRows } : {};
      const res = forward(this.model, tf.tensor2d(Int32Array.from(tokens.flat()), [R, n], 'int32'), { ...past, returnCache: true, lastOnly: true });
      return { last: res.logits.reshape([R, -1]), k: res.cache!.k, v: res.cache!.v }; // logits (R, V)
    });
    const batch: Batch = { cache: { k: k as tf.Tensor4D[], v: v as tf.Tensor4D[] }, length: (parent?.length ?? 0) + n };
    this.batches.push(batch);
    fresh.push(batch);
    this.positions += R * n;
    const data = (await last.data()) as Float32Array;
    last.dispose();
    const V = data.length / R;
    return tokens.map((_, r) => ({ batch, row: r, logits: asLogits(data.slice(r * V, (r + 1) * V)) }));
  }

  private remember(window: number[], e: Entry): Logits {
    this.entries.set(keyOf(window), e);
    return e.logits;
  }

  /** Free every cached tensor. */
  dispose(): void {
    for (const b of this.batches) disposeBatch(b);
    this.batches = [];
    this.entries.clear();
  }

  /** The cached context that is the longest proper prefix of `c` (most often c without its last token). */
  private longestPrefix(c: number[]): Entry | undefined {
    for (let len = c.length - 1; len > 0; len--) {
      const e = this.entries.get(keyOf(c.slice(0, len)));
      if (e) return e;
    }
    return undefined;
  }

  /** Keep the first batch and this call's; free the others (the beam never goes back a depth). */
  private release(fresh: Batch[]): void {
    const keep = new Set([this.batches[0], ...fresh]);
    const drop = this.batches.filter((b) => !keep.has(b));
    if (drop.length === 0) return;
    const gone = new Set(drop);
    for (const [k, e] of this.entries) if (gone.has(e.batch)) this.entries.delete(k);
    drop.forEach(disposeBatch);
    this.batches = this.batches.filter((b) => keep.has(b));
  }
}

/** Whether row r continues row r of the parent for every r (no rows to pick). */
function isIdentity(rows: number[], b: Batch): boolean {
  return rows.length === b.cache.k[0]!.shape[0] && rows.every((r, i) => r === i);
}

function disposeBatch(b: Batch): void {
  for (const t of [...b.cache.k, ...b.cache.v]) t.dispose();
}
