/**
 * Building the page's model: a bundled corpus (with its trained checkpoint when one
 * matches, so the first screen says something) or a person's text (checked in the worker
 * before anything is replaced), another tokenizer or size on the same corpus, and asking
 * first when a model the person trained would be lost. It remembers which corpus the live
 * model was built on and what the build in flight is for.
 */
import type { ModelConfig } from '../config';
import { DEFAULT_MAX_CORPUS_BYTES } from '../data/corpus';
import { notice, type Notice } from '../i18n';
import type { CheckpointFiles, FromWorker, ModelSummary, SessionConfig, ToWorker } from '../worker/protocol';
import { BUNDLED_CORPORA, loadBundledCorpus, type BundledCorpus } from './corpora';
import { fetchPretrained, findPretrained } from './pretrained';
import { tokenizerForCorpus, tokenizerForText } from './dna';
import { sessionConfig, tokenizerFromSettings } from './sessionConfig';
import type { actions as storeActions, FolioState, PendingConfirm, Settings } from './store';

/** A corpus as the page holds it: a bundled one by id, a person's text as bytes. */
type CorpusSource = { kind: 'bundled'; id: BundledCorpus } | { kind: 'bytes'; name: string; bytes: ArrayBuffer };

/** What the builder needs of the bridge. */
export interface BuilderContext {
  send: (msg: ToWorker, transfer?: Transferable[]) => void;
  /** Send a request; its answer (or the error that came instead) goes to `then`. */
  ask: (make: (requestId: number) => ToWorker, then: (answer: FromWorker) => void, transfer?: Transferable[]) => void;
  actions: typeof storeActions;
  getState: () => FolioState;
  /** A loaded checkpoint's curves (the bridge's 'loaded' handling). */
  restoreHistory: (msg: Extract<FromWorker, { type: 'loaded' }>) => void;
}

export class ModelBuilder {
  /** What the configure in flight is for, so its failure is shown in the right place. */
  private configuring?: 'corpus' | 'model';
  /** The next model is the bundled trained one, nobody has trained further here. */
  private pendingDemo = false;
  /** Shown once the next model is ready (a new model clears older notices). */
  private noticeWhenReady?: Notice;
  /** The corpus of the live model, and the one being built (live once the worker is ready). */
  private activeCorpus?: CorpusSource;
  private pendingCorpus?: CorpusSource;

  constructor(private readonly ctx: BuilderContext) {}

  /** The worker built a model: it is the live one now. */
  ready(model: ModelSummary): void {
    const { actions } = this.ctx;
    this.configuring = undefined;
    this.activeCorpus = this.pendingCorpus ?? this.activeCorpus;
    actions.modelReady(model, this.pendingDemo);
    this.pendingDemo = false;
    if (this.noticeWhenReady) actions.failed({ scope: 'checkpoint', notice: this.noticeWhenReady });
    this.noticeWhenReady = undefined;
  }

  /** A configure failed: a refused corpus under the corpus controls, anything else in the banner. */
  configureFailed(n: Notice): void {
    const corpus = this.configuring === 'corpus';
    this.configuring = undefined;
    if (corpus) this.ctx.actions.corpusRejected(n);
    else this.ctx.actions.failed({ scope: 'configure', notice: n });
  }

  /** The next model comes from a checkpoint (a save, files): it has its own corpus. */
  loadingCheckpoint(): void {
    this.pendingCorpus = undefined;
  }

  /** The first model: the bundled corpus the settings name. */
  first(): Promise<void> {
    return this.build({ kind: 'bundled', id: this.ctx.getState().settings.corpus }, true);
  }

  chooseBundled(id: BundledCorpus): void {
    // Where Folio ships a model trained on this corpus (at these sizes), that model is what replaces the person's: the question says so.
    const s = this.ctx.getState().settings;
    const tokenizer = tokenizerForCorpus(id, s.tokenizer).tokenizer ?? s.tokenizer;
    const trained = findPretrained(id, s.preset, tokenizer, { k: s.kmerK, overlap: s.kmerOverlap }) ? BUNDLED_CORPORA[id].title : undefined;
    this.replaceModel(() => {
      this.configuring = 'corpus';
      // DNA is read in k-mers, text in anything but: the tokenizer follows a switch between them.
      this.ctx.actions.setSettings({ corpus: id, ...tokenizerForCorpus(id, this.ctx.getState().settings.tokenizer) });
      void this.build({ kind: 'bundled', id }, true);
    }, trained ? { kind: 'pretrained', what: trained } : undefined);
  }

  /** A file the person chose or dropped: its size and kind are checked before it is read. */
  async upload(file: File): Promise<void> {
    if (file.size > DEFAULT_MAX_CORPUS_BYTES) return this.ctx.actions.corpusRejected(tooLarge());
    const kind = /\.(pdf|docx?|odt|rtf|zip|gz|png|jpe?g|gif|epub|xlsx?|pptx?)$/i.exec(file.name)?.[1];
    if (kind) return this.ctx.actions.corpusRejected(notice('notPlainText', { kind: kind.toUpperCase() }));
    this.check({ kind: 'bytes', name: file.name, bytes: await file.arrayBuffer() });
  }

  paste(text: string): void {
    if (!text.trim()) return this.ctx.actions.corpusRejected(notice('emptyPaste'));
    // More UTF-16 units than the byte cap means more bytes too: refuse without encoding it.
    if (text.length > DEFAULT_MAX_CORPUS_BYTES) return this.ctx.actions.corpusRejected(tooLarge());
    this.check({ kind: 'bytes', name: pastedName(text), bytes: new TextEncoder().encode(text).buffer as ArrayBuffer });
  }

  /** Rebuild on the same corpus with another tokenizer (a k-mer one with its k and overlap). */
  retokenize(kind: Settings['tokenizer'], vocabSize: number, kmer?: { k: number; overlap: boolean }): void {
    this.replaceModel(() => {
      this.configuring = 'corpus';
      this.ctx.actions.setSettings({ tokenizer: kind, vocabSize, ...(kmer ? { kmerK: kmer.k, kmerOverlap: kmer.overlap } : {}) });
      void this.rebuildSameCorpus();
    });
  }

  /** Rebuild on the same corpus with another size. */
  applyModel(preset: Settings['preset'], custom: ModelConfig): void {
    this.replaceModel(() => {
      this.configuring = 'model';
      this.ctx.actions.setSettings({ preset, custom });
      void this.rebuildSameCorpus();
    });
  }

  /** Ask first when a model the person trained would be replaced. */
  replaceModel(proceed: () => void, replacement?: Pick<PendingConfirm, 'kind' | 'what'>): void {
    const { trainedHere } = this.ctx.getState();
    if (trainedHere > 0) this.ctx.actions.ask({ steps: trainedHere, proceed, ...replacement });
    else proceed();
  }

  private rebuildSameCorpus(): Promise<void> {
    return this.build(this.activeCorpus ?? { kind: 'bundled', id: this.ctx.getState().settings.corpus }, true);
  }

  /**
   * Build a model for the settings on `source`: the bundled trained checkpoint when one
   * matches, otherwise fresh random weights. A person's bytes are copied to the worker
   * (not transferred) so a later rebuild — another tokenizer or size — can send them
   * again; they are decoded and checked there.
   */
  private async build(source: CorpusSource, usePretrained: boolean): Promise<void> {
    const { actions, getState, send, ask } = this.ctx;
    const s = getState().settings;
    actions.setBusy(true);
    this.pendingCorpus = source;
    if (source.kind === 'bytes') return send({ type: 'configure', config: sessionConfig(s, { name: source.name, text: '' }), corpusBytes: source.bytes.slice(0) });
    const config = sessionConfig(s, await loadBundledCorpus(source.id));
    const pre = usePretrained ? findPretrained(source.id, s.preset, s.tokenizer, { k: s.kmerK, overlap: s.kmerOverlap }) : undefined;
    if (!pre) return send({ type: 'configure', config });
    let files: CheckpointFiles;
    try {
      files = await fetchPretrained(pre);
    } catch (e) {
      return this.pretrainedFailed(config, (e as Error).message);
    }
    this.pendingDemo = true;
    ask(
      (requestId) => ({ type: 'load', requestId, source: { kind: 'files', files, session: config } }),
      (answer) => (answer.type === 'error' ? this.pretrainedFailed(config, answer.notice) : answer.type === 'loaded' ? this.ctx.restoreHistory(answer) : undefined),
      [files.weights],
    );
  }

  /** The bundled trained model did not load: fresh random weights instead, and say why. */
  private pretrainedFailed(config: SessionConfig, why: Notice | string): void {
    this.pendingDemo = false;
    this.noticeWhenReady = notice('pretrainedFailed', { why });
    this.ctx.send({ type: 'configure', config });
  }

  /** Have the worker check a person's text (off the page's thread) before anything is replaced. */
  private check(source: Extract<CorpusSource, { kind: 'bytes' }>): void {
    const { actions, getState, ask } = this.ctx;
    // Prose while the k-mer tokenizer is on: read it in characters (k-mers read only DNA).
    const switchTo = tokenizerForText(source.bytes, getState().settings.tokenizer);
    const s = { ...getState().settings, ...switchTo };
    actions.setBusy(true);
    ask(
      (requestId) => ({ type: 'checkCorpus', requestId, bytes: source.bytes.slice(0), tokenizer: tokenizerFromSettings(s), blockSize: sessionConfig(s, { name: '', text: '' }).model.blockSize }),
      (answer) => {
        if (answer.type === 'error') return actions.corpusRejected(answer.notice);
        if (answer.type !== 'corpusChecked') return;
        if (!answer.ok) return actions.corpusRejected(answer.notice);
        actions.setBusy(false);
        this.replaceModel(() => {
          this.configuring = 'corpus';
          if (switchTo.tokenizer) actions.setSettings(switchTo);
          void this.build(source, false);
        });
      },
    );
  }
}

const tooLarge = () => notice('fileTooLargeMb', { mb: Math.round(DEFAULT_MAX_CORPUS_BYTES / 1e6) });

function pastedName(text: string): string {
  const first = text.trim().split(/\s+/).slice(0, 4).join(' ');
  return `pasted: “${first.length > 30 ? first.slice(0, 29) + '…' : first}”`;
}
