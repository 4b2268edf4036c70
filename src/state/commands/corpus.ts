/**
 * The corpus and model panels' commands — building the page's model: a bundled corpus (with its trained checkpoint when one
 * matches, so the first screen says something) or a person's text (checked in the worker
 * before anything is replaced), another tokenizer or size on the same corpus, and asking
 * first when a model the person trained would be lost. It remembers which corpus the live
 * model was built on and what the build in flight is for.
 */
import type { ModelConfig } from '../../config';
import { DEFAULT_MAX_CORPUS_BYTES } from '../../data/corpus';
import { notice, noticeOf, type Notice } from '../../i18n';
import type { CheckpointFiles, SessionConfig } from '../../worker/protocol';
import { BUNDLED_CORPORA, loadBundledCorpus, type BundledCorpus } from '../corpora';
import { fetchPretrained, findPretrained } from '../pretrained';
import { tokenizerForCorpus, tokenizerForText } from '../dna';
import { sessionConfig, tokenizerFromSettings } from '../sessionConfig';
import { askBeforeReplacing, type PendingConfirm, type Settings } from '../store';
import type { PageContext } from './context';

/** A corpus as the page holds it: a bundled one by id, a person's text as bytes. */
type CorpusSource = { kind: 'bundled'; id: BundledCorpus } | { kind: 'bytes'; name: string; bytes: ArrayBuffer };

export class ModelBuilder {
  /** Shown once the next model is ready (a new model clears older notices). */
  private noticeWhenReady?: Notice;
  /** The corpus of the live model, and the one being built (live once the worker is ready). */
  private activeCorpus?: CorpusSource;
  private pendingCorpus?: CorpusSource;
  /**
   * Counts the models asked for: a build that fetched its corpus or bundled checkpoint while
   * the person chose another model (resumed a save, loaded files, picked another corpus)
   * must not send its own and replace theirs.
   */
  private asked = 0;

  constructor(private readonly ctx: PageContext) {}

  /** The worker made a model live: the corpus it was built on is the live one now (a checkpoint brings its own). */
  modelChanged(): void {
    this.activeCorpus = this.pendingCorpus ?? this.activeCorpus;
    this.pendingCorpus = undefined;
    if (this.noticeWhenReady) this.ctx.store.get().failed({ scope: 'checkpoint', notice: this.noticeWhenReady });
    this.noticeWhenReady = undefined;
  }

  /** A configure failed: a refused corpus under the corpus controls, anything else in the banner. */
  private configureFailed(e: unknown, what: 'corpus' | 'model'): void {
    const s = this.ctx.store.get();
    this.pendingCorpus = undefined;
    const n = noticeOf(e);
    if (what === 'corpus') s.corpusRejected(n);
    else s.failed({ scope: 'configure', notice: n });
  }

  /** The next model comes from a checkpoint (a save, files): it has its own corpus. */
  loadingCheckpoint(): void {
    this.asked++;
    this.pendingCorpus = undefined;
  }

  /** The first model: the bundled corpus the settings name. */
  first(): Promise<void> {
    return this.build({ kind: 'bundled', id: this.ctx.store.get().settings.corpus }, true, 'corpus');
  }

  chooseBundled(id: BundledCorpus): void {
    // Where Folio ships a model trained on this corpus (at these sizes), that model is what replaces the person's: the question says so.
    const s = this.ctx.store.get().settings;
    const tokenizer = tokenizerForCorpus(id, s.tokenizer).tokenizer ?? s.tokenizer;
    const trained = findPretrained(id, s.preset, tokenizer, { k: s.kmerK, overlap: s.kmerOverlap }) ? BUNDLED_CORPORA[id].title : undefined;
    this.replaceModel(
      () => {
        // DNA is read in k-mers, text in anything but: the tokenizer follows a switch between them.
        const st = this.ctx.store.get();
        st.setSettings({ corpus: id, ...tokenizerForCorpus(id, st.settings.tokenizer) });
        void this.build({ kind: 'bundled', id }, true, 'corpus');
      },
      trained ? { kind: 'pretrained', what: trained } : undefined,
    );
  }

  /** A file the person chose or dropped: its size and kind are checked before it is read. */
  async upload(file: File): Promise<void> {
    const s = this.ctx.store.get();
    if (file.size > DEFAULT_MAX_CORPUS_BYTES) return s.corpusRejected(tooLarge());
    const kind = /\.(pdf|docx?|odt|rtf|zip|gz|png|jpe?g|gif|epub|xlsx?|pptx?)$/i.exec(file.name)?.[1];
    // An image is not text at all (no "Save as .txt" makes one); a document is text in a wrapper.
    if (kind) return s.corpusRejected(notice(/^(png|jpe?g|gif)$/i.test(kind) ? 'imageNotText' : 'notPlainText', { kind: kind.toUpperCase() }));
    this.check({ kind: 'bytes', name: file.name, bytes: await file.arrayBuffer() });
  }

  paste(text: string): void {
    const s = this.ctx.store.get();
    if (!text.trim()) return s.corpusRejected(notice('emptyPaste'));
    // More UTF-16 units than the byte cap means more bytes too: refuse without encoding it.
    if (text.length > DEFAULT_MAX_CORPUS_BYTES) return s.corpusRejected(notice('pasteTooLargeMb', { mb: Math.round(DEFAULT_MAX_CORPUS_BYTES / 1e6) }));
    this.check({ kind: 'bytes', name: pastedName(text), bytes: new TextEncoder().encode(text).buffer as ArrayBuffer });
  }

  /** Rebuild on the same corpus with another tokenizer (a k-mer one with its k and overlap). */
  retokenize(kind: Settings['tokenizer'], vocabSize: number, kmer?: { k: number; overlap: boolean }): void {
    this.replaceModel(() => {
      this.ctx.store.get().setSettings({ tokenizer: kind, vocabSize, ...(kmer ? { kmerK: kmer.k, kmerOverlap: kmer.overlap } : {}) });
      void this.rebuildSameCorpus('corpus');
    });
  }

  /** Rebuild on the same corpus with another size. */
  applyModel(preset: Settings['preset'], custom: ModelConfig): void {
    this.replaceModel(() => {
      this.ctx.store.get().setSettings({ preset, custom });
      void this.rebuildSameCorpus('model');
    });
  }

  /**
   * Ask first when a model the person trained would be replaced (askBeforeReplacing); the
   * question states the model's true step count, all stages together.
   */
  replaceModel(proceed: () => void, replacement?: Pick<PendingConfirm, 'kind' | 'what'>): void {
    const s = this.ctx.store.get();
    if (s.model && askBeforeReplacing(s)) s.ask({ proceed, modelId: s.model.id, ...replacement });
    else proceed();
  }

  private rebuildSameCorpus(what: 'corpus' | 'model'): Promise<void> {
    return this.build(this.activeCorpus ?? { kind: 'bundled', id: this.ctx.store.get().settings.corpus }, true, what);
  }

  /**
   * Build a model for the settings on `source`: the bundled trained checkpoint when one
   * matches, otherwise fresh random weights. A person's bytes are copied to the worker
   * (not transferred) so a later rebuild — another tokenizer or size — can send them
   * again; they are decoded and checked there.
   */
  private async build(source: CorpusSource, usePretrained: boolean, what: 'corpus' | 'model'): Promise<void> {
    const { link, store } = this.ctx;
    const s = store.get().settings;
    const mine = ++this.asked;
    store.get().setBusy(true);
    this.pendingCorpus = source;
    if (source.kind === 'bytes') {
      return void link
        .ask('configure', { config: sessionConfig(s, { name: source.name, text: '' }), corpusBytes: source.bytes.slice(0) })
        .catch((e: unknown) => this.configureFailed(e, what));
    }
    const config = sessionConfig(s, await loadBundledCorpus(source.id));
    if (mine !== this.asked) return; // another model was asked for while the corpus came
    const pre = usePretrained ? findPretrained(source.id, s.preset, s.tokenizer, { k: s.kmerK, overlap: s.kmerOverlap }) : undefined;
    if (!pre) return this.configure(config, what);
    let files: CheckpointFiles;
    try {
      files = await fetchPretrained(pre);
    } catch (e) {
      return this.pretrainedFailed(config, (e as Error).message, what);
    }
    if (mine !== this.asked) return; // …or while the trained checkpoint came
    this.pendingCorpus = source; // a load's model keeps the bundled corpus it was chosen for
    await link
      .ask('load', { source: { kind: 'files', files, session: config, origin: 'bundled' } }, [files.weights])
      .catch((e: unknown) => this.pretrainedFailed(config, noticeOf(e), what));
  }

  private configure(config: SessionConfig, what: 'corpus' | 'model'): Promise<void> {
    return this.ctx.link.ask('configure', { config }).then(
      () => undefined,
      (e: unknown) => this.configureFailed(e, what),
    );
  }

  /** The bundled trained model did not load: fresh random weights instead, and say why. */
  private pretrainedFailed(config: SessionConfig, why: Notice | string, what: 'corpus' | 'model'): Promise<void> {
    this.noticeWhenReady = notice('pretrainedFailed', { why });
    return this.configure(config, what);
  }

  /** Have the worker check a person's text (off the page's thread) before anything is replaced. */
  private check(source: Extract<CorpusSource, { kind: 'bytes' }>): void {
    const { link, store } = this.ctx;
    // Prose while the k-mer tokenizer is on: read it in characters (k-mers read only DNA).
    const switchTo = tokenizerForText(source.bytes, store.get().settings.tokenizer);
    const s = { ...store.get().settings, ...switchTo };
    store.get().setBusy(true);
    link
      .ask('checkCorpus', {
        bytes: source.bytes.slice(0),
        tokenizer: tokenizerFromSettings(s),
        blockSize: sessionConfig(s, { name: '', text: '' }).model.blockSize,
      })
      .then(
        () => {
          store.get().setBusy(false);
          this.replaceModel(() => {
            if (switchTo.tokenizer) store.get().setSettings(switchTo);
            void this.build(source, false, 'corpus');
          });
        },
        (e: unknown) => store.get().corpusRejected(noticeOf(e)),
      );
  }
}

const tooLarge = () => notice('fileTooLargeMb', { mb: Math.round(DEFAULT_MAX_CORPUS_BYTES / 1e6) });

function pastedName(text: string): string {
  const first = text.trim().split(/\s+/).slice(0, 4).join(' ');
  return `pasted: “${first.length > 30 ? first.slice(0, 29) + '…' : first}”`;
}
