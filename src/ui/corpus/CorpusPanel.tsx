/**
 * What the model reads: a bundled text, a file (chosen or dropped) or pasted text;
 * the tokenizer that cuts it into tokens; and what the active corpus looks like.
 * A rejected corpus shows why here, and the active corpus and model stay as they were.
 */
import { useEffect, useRef, useState } from 'react';
import { BUNDLED_CORPORA, type BundledCorpus } from '../../state/corpora';
import { DEFAULT_MAX_CORPUS_BYTES } from '../../data/corpus';
import { commands } from '../app/commands';
import { useFolio } from '../../state/store';
import { TOKENIZER_KINDS, type TokenizerKind } from '../../tokenizer';
import { useSay, useT } from '../app/useT';
import { TokenChips } from './TokenChips';
import { KmerFields, KmerVocab } from './KmerOptions';
import { fitPromptToCorpus } from '../../state/dna';
import { corpusDisplayName, corpusTitle } from '../shared/corpusTitle';
import { Panel } from '../shared/Panel';
import { inLimits, NumberField, type NumberLimits } from '../shared/NumberField';

/** The vocabulary a trained tokenizer (BPE, words) may aim for: the box's range, and the button's. */
const VOCAB_TARGET: NumberLimits = { min: 16, max: 8192, step: 64, integer: true };

function CorpusStats() {
  const t = useT();
  const model = useFolio((s) => s.model);
  if (!model) return <p className="muted">{t.loadingCorpus}</p>;
  return (
    <div className="corpus-stats">
      <p>
        {t.activeCorpus}: <strong data-testid="corpus-name" data-name={model.corpusName}>{corpusDisplayName(t, model.corpusName)}</strong> · {t.num(model.corpusChars)} {t.chars} · {t.vocabulary}{' '}
        <strong data-testid="vocab-size" data-count={model.vocabSize}>{t.num(model.vocabSize)}</strong> · {t.tokenizerNames[model.tokenizer] ?? t.dnaKmerName}
      </p>
      <p className="muted small">{t.trainVal(model.trainTokens, model.valTokens)}</p>
      <p className="muted small">{t.snippet}</p>
      <TokenChips tokens={model.snippet} />
      <KmerVocab />
    </div>
  );
}

function TokenizerChoice() {
  const t = useT();
  const settings = useFolio((s) => s.settings);
  const active = useFolio((s) => s.model?.tokenizer);
  const busy = useFolio((s) => s.busy);
  const [kind, setKind] = useState<TokenizerKind>(settings.tokenizer);
  const [vocab, setVocab] = useState(settings.vocabSize);
  const activeKmer = useFolio((s) => s.model?.kmer);
  const [k, setK] = useState(settings.kmerK);
  const [overlap, setOverlap] = useState(settings.kmerOverlap);
  // A new model (another corpus may bring another tokenizer, a checkpoint its own): show what it uses.
  const [shownFor, setShownFor] = useState({ active, activeKmer });
  if (shownFor.active !== active || shownFor.activeKmer !== activeKmer) {
    setShownFor({ active, activeKmer });
    if (active) setKind(active);
    if (activeKmer) {
      setK(activeKmer.k);
      setOverlap(activeKmer.overlap);
    }
  }
  const changed =
    kind !== active || (kind === 'kmer' ? k !== activeKmer?.k || overlap !== activeKmer?.overlap : kind !== 'char' && vocab !== settings.vocabSize);
  return (
    <fieldset className="tokenizer">
      <legend>{t.tokenizer}</legend>
      {TOKENIZER_KINDS.map((name) => (
        <label key={name}>
          <input type="radio" name="tokenizer" value={name} checked={kind === name} onChange={() => setKind(name)} /> {t.tokenizerNames[name] ?? t.dnaKmerName}
        </label>
      ))}
      {kind === 'kmer' && <KmerFields k={k} overlap={overlap} onK={setK} onOverlap={setOverlap} />}
      {kind !== 'char' && kind !== 'kmer' && (
        <label className="inline-field">
          {t.vocabTarget}{' '}
          <NumberField {...VOCAB_TARGET} value={vocab} onChange={setVocab} />
          <span className="muted small">({t.vocabHint})</span>
        </label>
      )}
      <button className="secondary" disabled={!changed || busy || !inLimits(vocab, VOCAB_TARGET)} onClick={() => commands.corpus.retokenize(kind, vocab, kind === 'kmer' ? { k, overlap } : undefined)}>
        {t.applyTokenizer}
      </button>
      <BuildProgress />
    </fieldset>
  );
}

/** A long tokenizer build, as it goes (the worker is alive and working). */
function BuildProgress() {
  const t = useT();
  const building = useFolio((s) => s.building);
  if (!building) return null;
  return (
    <p className="muted small" data-testid="build-progress" role="status">
      {t.buildingTokenizer(building.done, building.total)}
    </p>
  );
}

function CorpusSources() {
  const t = useT();
  const corpus = useFolio((s) => s.settings.corpus);
  const activeName = useFolio((s) => s.model?.corpusName);
  const busy = useFolio((s) => s.busy);
  // Uncontrolled: a pasted megabyte should not be diffed by React on every keystroke.
  const paste = useRef<HTMLTextAreaElement>(null);
  const [dragging, setDragging] = useState(false);
  const bundledActive = Object.values(BUNDLED_CORPORA).some((c) => c.title === activeName);
  return (
    <div className="corpus-sources">
      <label className="inline-field">
        {t.bundled}{' '}
        <select
          data-testid="corpus-select"
          value={bundledActive ? corpus : ''}
          disabled={busy}
          onChange={(e) => {
            if (!e.target.value) return;
            const id = e.target.value as BundledCorpus;
            commands.corpus.chooseBundled(id);
            const s = useFolio.getState();
            fitPromptToCorpus(id, s.prompt, s.settings.track, { prompt: commands.nextWords.setPrompt, track: commands.nextWords.setTrack });
          }}
        >
          {!bundledActive && <option value="">—</option>}
          {(Object.keys(BUNDLED_CORPORA) as BundledCorpus[]).map((id) => (
            <option key={id} value={id}>
              {corpusTitle(t, id)}
            </option>
          ))}
        </select>
      </label>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) void commands.corpus.upload(file);
        }}
      >
        <label className="file-label">
          {t.chooseFile}
          <input
            data-testid="corpus-file"
            type="file"
            accept=".txt,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void commands.corpus.upload(file);
              e.target.value = ''; // choosing the same file again still fires
            }}
          />
        </label>
        <span className="muted"> {t.dropHere}</span>
      </div>
      <label className="paste">
        {t.pasteLabel}
        <textarea
          data-testid="corpus-paste"
          ref={paste}
          rows={3}
          placeholder={t.pastePlaceholder}
          onPaste={(e) => {
            // A huge paste is refused before the browser lays out megabytes of text in the box.
            const text = e.clipboardData.getData('text/plain');
            if (text.length > DEFAULT_MAX_CORPUS_BYTES) {
              e.preventDefault();
              commands.corpus.paste(text);
            }
          }}
        />
      </label>
      <button className="secondary" data-testid="corpus-paste-use" disabled={busy} onClick={() => commands.corpus.paste(paste.current?.value ?? '')}>
        {t.usePaste}
      </button>
    </div>
  );
}

/** Shown right under the controls that caused it, and scrolled into view. */
function CorpusError() {
  const error = useFolio((s) => s.corpusError);
  const say = useSay();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (error) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [error]);
  if (!error) return null;
  return (
    <p ref={ref} className="error-inline" role="alert" data-testid="corpus-error">
      {say(error)}
    </p>
  );
}

export function CorpusPanel() {
  const t = useT();
  return (
    <Panel id="corpus-h" className="corpus" title={t.corpusTitle} hint={t.corpusHint}>
      <CorpusStats />
      <CorpusSources />
      <CorpusError />
      <TokenizerChoice />
    </Panel>
  );
}
