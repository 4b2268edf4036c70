/**
 * The second live model in the worker: a pretrained GPT-2-family model from the Hub (the
 * "guest"), beside the person's own model and never in its place. It has its own id (a new
 * one each load), answers the same questions — ranked next words, attention, generation,
 * the logit lens — through the same predictor code, with the KV cache, and is never
 * trained by the run loop: it is fine-tuned with LoRA adapters only (guestLora.ts). It
 * leaves as a Hugging Face folder (its adapters merged into what is written, not into it).
 *
 * Loading checks every file before anything is built (checkpoint/gpt2.ts): a bad file is a
 * notice and the guest that was loaded stays. The newest ranked-words request wins, as for
 * the own model: one waiting is replaced, one answered while a newer came is dropped.
 */
import { gpt2FolderFiles, gpt2Model, readGpt2, type Gpt2Files, type Gpt2Source } from '../checkpoint/gpt2';
import { hfZip } from '../checkpoint/hfZip';
import type { SampleConfig } from '../config';
import { FolioError, notice } from '../i18n';
import { disposeGPT, paramCount, type GPT } from '../model/gpt';
import { logitLens, type LensResult } from '../predict/lens';
import { attentionMaps, generate, predictNext, type GeneratedToken, type Prediction } from '../predict/predictor';
import type { Tokenizer } from '../tokenizer';
import { newModelId } from './live';
import { GuestLora, loraSummary } from './guestLora';
import type { Ask, FromWorker, Requests } from './protocol';
import { transferring } from './protocol';
import type { GuestRequests } from './guestProtocol';
import type { GuestSummary } from './summary';

interface Guest {
  summary: GuestSummary;
  model: GPT;
  tokenizer: Tokenizer;
  /** Its config.json and tokenizer files as they came (a full export writes them back). */
  source: Gpt2Source;
}

/** Whether an error is the machine running out of memory (an ArrayBuffer or wasm heap that could not grow). */
const outOfMemory = (e: unknown) =>
  e instanceof RangeError || (e instanceof Error && /out of memory|allocation failed|enlarge memory|\bOOM\b/i.test(e.message));

export class GuestDesk {
  private guest?: Guest;
  /** Questions run one at a time (a 124 M model's answers take a while; overlapping would only slow both). */
  private line: Promise<unknown> = Promise.resolve();
  private newestPredict = 0;
  private readonly lora = new GuestLora();

  /** `corpusText`: the person's corpus, the text a LoRA stage's cost meter reads the guest on (none: no meter). */
  constructor(private readonly corpusText: () => string | undefined = () => undefined) {}

  /** Check the files, build the model, then replace the old guest (which stays if anything fails). */
  load(repo: string, files: Gpt2Files): GuestSummary {
    const parts = readGpt2(files);
    const { model, tokenizer } = gpt2Model(parts);
    this.drop();
    const summary: GuestSummary = {
      id: newModelId(),
      repo,
      config: parts.config,
      paramCount: paramCount(parts.config),
      dtype: parts.dtype,
      vocabSize: tokenizer.vocabSize,
    };
    this.guest = { summary, model, tokenizer, source: { hfConfig: parts.hfConfig, tokenizer: parts.tokenizer, tokenizerFiles: parts.tokenizerFiles } };
    return summary;
  }

  /** Free the guest; its id is then unknown to every question. */
  drop(): string | null {
    this.lora.end();
    const g = this.guest;
    this.guest = undefined;
    if (g) disposeGPT(g.model);
    return g?.summary.id ?? null;
  }

  /** Start a LoRA stage on the guest (guestLora.ts). */
  tuneStart(ask: Ask<'guestTuneStart'>): Promise<Requests['guestTuneStart']['answer']> {
    return this.queued(async () => ({
      modelId: ask.modelId,
      ...this.lora.start(this.require(ask.modelId), { ...ask.start, steps: ask.steps }, this.corpusText()),
    }));
  }

  /** Steps of the stage; between two calls, the guest answers questions (with its adapters as they are). */
  tuneSteps(modelId: string, count: number): Promise<Requests['guestTuneSteps']['answer']> {
    return this.queued(async () => (this.require(modelId), { modelId, ...(await this.lora.steps(count)) }));
  }

  /** End the stage: the guest answers differently now, so it gets a new id. */
  tuneEnd(modelId: string): Promise<Requests['guestTuneEnd']['answer']> {
    return this.queued(async () => {
      const g = this.require(modelId);
      this.lora.end();
      return { model: this.renew(g) };
    });
  }

  adapters(modelId: string): Promise<Requests['guestAdapters']['answer']> {
    return this.queued(async () => {
      const files = await this.lora.adapters(this.require(modelId));
      return transferring({ modelId, ...files }, [files.weights]);
    });
  }

  /**
   * The guest as a Hugging Face folder in one .zip, its adapters (if any) merged into the
   * written weights one at a time (gpt2FolderFiles): the guest and its adapters stay as they
   * are. Running out of memory (a 124 M model's file is 500 MB) is said as such, and nothing changes.
   */
  exportModel(modelId: string, folder: string): Promise<Requests['guestExport']['answer']> {
    return this.queued(async () => {
      const g = this.require(modelId);
      let parts: Uint8Array[];
      try {
        parts = hfZip(await gpt2FolderFiles(g.model, g.source), folder);
      } catch (e) {
        if (e instanceof FolioError || !outOfMemory(e)) throw e;
        throw new FolioError(notice('guestExportMemory', { bytes: 4 * g.summary.paramCount }));
      }
      return transferring({ modelId, parts }, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
    });
  }

  /** Merge the adapters in: the same answers from a plain model (same id). */
  merge(modelId: string): Promise<Requests['guestMerge']['answer']> {
    return this.queued(async () => {
      const g = this.require(modelId);
      this.lora.merge(g);
      const { lora: _, ...summary } = g.summary;
      g.summary = summary;
      return { model: summary };
    });
  }

  /** The guest's summary under a new id, with its adapters. */
  private renew(g: Guest): GuestSummary {
    const { lora: _, ...rest } = g.summary;
    const lora = loraSummary(g.model);
    g.summary = { ...rest, id: newModelId(), ...(lora ? { lora } : {}) };
    return g.summary;
  }

  /** The guest the page asks about, if it is still the loaded one. */
  private require(modelId: string): Guest {
    if (!this.guest) throw new FolioError(notice('noGuest'));
    if (this.guest.summary.id !== modelId) throw new FolioError(notice('guestGone'));
    return this.guest;
  }

  private queued<T>(work: () => Promise<T>): Promise<T> {
    const next = this.line.then(work, work);
    this.line = next.catch(() => undefined);
    return next;
  }

  /** Ranked next words and tokens; undefined when a newer request came meanwhile. */
  predict(modelId: string, prompt: string, topTokens = 10, topWords = 10): Promise<{ modelId: string; prompt: string; prediction: Prediction } | undefined> {
    const mine = ++this.newestPredict;
    return this.queued(async () => {
      if (mine !== this.newestPredict) return undefined; // a newer one waits behind: this one is moot
      const g = this.require(modelId);
      const prediction = await predictNext(g.model, g.tokenizer, prompt, { topTokens, beam: { topWords } });
      return mine === this.newestPredict ? { modelId, prompt, prediction } : undefined;
    });
  }

  attention(modelId: string, prompt: string): Promise<{ modelId: string; tokens: string[]; maps: number[][][][] }> {
    return this.queued(async () => {
      const g = this.require(modelId);
      const ids = g.tokenizer.encode(prompt).slice(-g.model.config.blockSize);
      return { modelId, tokens: ids.map((i) => g.tokenizer.tokenDisplay(i)), maps: await attentionMaps(g.model, ids) };
    });
  }

  lens(modelId: string, prompt: string): Promise<{ modelId: string; lens: LensResult }> {
    return this.queued(async () => {
      const g = this.require(modelId);
      return { modelId, lens: await logitLens(g.model, g.tokenizer, prompt) };
    });
  }

  generate(modelId: string, prompt: string, sample: SampleConfig, onToken: (t: GeneratedToken) => void): Promise<{ modelId: string; count: number }> {
    return this.queued(async () => {
      const g = this.require(modelId);
      let count = 0;
      for await (const token of generate(g.model, g.tokenizer, prompt, sample)) {
        count++;
        onToken(token);
      }
      return { modelId, count };
    });
  }
}

type GuestKind = keyof GuestRequests;

/** The session's handlers for the guest's lines of the protocol (session.ts spreads them into its table). */
export function guestHandlers(
  g: GuestDesk,
  post: (msg: FromWorker) => void,
): { [K in GuestKind]: (ask: Ask<K>) => Promise<Requests[K]['answer'] | undefined> | Requests[K]['answer'] } {
  return {
    guestLoad: ({ repo, files }) => ({ model: g.load(repo, files) }),
    guestDrop: () => ({ modelId: g.drop() }),
    guestPredict: ({ modelId, prompt, topTokens, topWords }) => g.predict(modelId, prompt, topTokens, topWords),
    guestAttention: ({ modelId, prompt }) => g.attention(modelId, prompt),
    guestLens: ({ modelId, prompt }) => g.lens(modelId, prompt),
    guestGenerate: (ask) => g.generate(ask.modelId, ask.prompt, ask.sample, (token) => post({ type: 'generated', requestId: ask.requestId, token })),
    guestTuneStart: (ask) => g.tuneStart(ask),
    guestTuneSteps: ({ modelId, count }) => g.tuneSteps(modelId, count),
    guestTuneEnd: ({ modelId }) => g.tuneEnd(modelId),
    guestAdapters: ({ modelId }) => g.adapters(modelId),
    guestMerge: ({ modelId }) => g.merge(modelId),
    guestExport: ({ modelId, folder }) => g.exportModel(modelId, folder),
  };
}
