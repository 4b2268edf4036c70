/**
 * The heart of Folio: a prompt, and the model's ranked guesses for what comes next —
 * whole words (each the product of its tokens' probabilities) or the raw next tokens —
 * plus one word followed over training. While the page is rewound (issue 27) the bars are
 * the snapshot's, and say its step (`data-at-step`), with what it writes after the prompt.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { commands } from '../app/commands';
import { BOW_SENTENCES, DEFAULT_PROMPT, useFolio, shownRankedOf, rewoundAtOf } from '../../state/store';
import { useSay, useT } from '../app/useT';
import { TrackedWord } from './TrackedWord';
import { baseRows, DnaNotes, NextBaseStrip, useDnaPresets, useIsDna } from './DnaBases';
import { Panel } from '../shared/Panel';
import { BarsTemperature } from './BarsTemperature';
import { ProbBar } from '../shared/ProbBar';
import { RewindSample } from '../rewind/RewindSample';
import { SideBySide } from './GuestWords';

export const PRESET_PROMPTS = [DEFAULT_PROMPT, BOW_SENTENCES.bowShow, BOW_SENTENCES.bowTarget, 'ROMEO:\nBut soft, what light through yonder window'];

function PromptBox() {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const dna = useDnaPresets();
  const presets = useIsDna() ? dna : PRESET_PROMPTS.map((p, i) => ({ prompt: p, name: t.presetNames[i] ?? p }));
  return (
    <>
      <label className="prompt">
        <span className="visually-hidden">{t.prompt}</span>
        <textarea
          data-testid="prompt-input"
          aria-label={t.prompt}
          value={prompt}
          rows={2}
          onChange={(e) => commands.nextWords.setPrompt(e.target.value)}
          spellCheck={false}
        />
      </label>
      <div className="row wrap" role="group" aria-label={t.presetPrompts}>
        {presets.map(({ prompt: p, name }) => (
          <button key={p} className="chip" onClick={() => commands.nextWords.setPrompt(p)} title={p} aria-pressed={prompt === p}>
            {name}
          </button>
        ))}
      </div>
    </>
  );
}

/** The prompt's last word, when the prompt ends inside one (a continuation extends it). */
function lastWordOf(prompt: string): string {
  return /[\p{L}\p{M}\p{N}]+$/u.exec(prompt)?.[0] ?? '';
}

interface Row {
  key: string;
  word: string;
  /** The end of the prompt this row continues ("bow" for "bown"), '' for a new word. */
  prefix: string;
  label: string;
  /** undefined: the focused row, whose word left the newest top list (see keepInPlace). */
  p: number | undefined;
  title: string;
  append: string;
}

function useRows(view: 'words' | 'tokens'): Row[] {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const result = useFolio((s) => shownRankedOf(s)?.result);
  const last = lastWordOf(prompt);
  if (view === 'words' && result?.bases) return baseRows(result.bases, t.append); // DNA: next bases, not words
  return view === 'words'
    ? (result?.words ?? []).map((w) => {
        const unk = w.word === '<unk>';
        const cont = !!w.continues && !!last;
        return {
          key: (cont ? '+' : '') + w.word,
          word: cont ? last + w.word : w.word,
          prefix: cont ? last : '',
          label: unk ? t.rareWord : w.word,
          p: w.p,
          title: cont ? t.continues(last) : t.append(w.word),
          // A new word after a letter needs a space; a continuation or punctuation does not.
          append: unk ? '' : !cont && /^[\p{L}\p{N}]/u.test(w.word) && !/\s$/u.test(prompt) && prompt !== '' ? ` ${w.word}` : w.word,
        };
      })
    : (result?.tokens ?? []).map((tk) => ({
        key: String(tk.id),
        word: tk.token,
        prefix: '',
        label: tk.display,
        p: tk.p,
        title: t.append(tk.display),
        append: tk.token,
      }));
}

/**
 * The rows in ranking order, except that the focused row is never moved: rows that were
 * below it stay below it. React keeps a node in place only while no row that was after
 * it comes before it; a moved (or removed) focused button drops focus to <body>, and
 * while training the ranking reshuffles at every refresh. Rows from above may fall below
 * it and new rows may come in anywhere — those move other nodes, not this one. A focused
 * word that left the top list stays, without a value.
 */
function keepInPlace<R extends { key: string; p: number | undefined }>(before: string[], focused: string, rows: R[], gone: R | undefined): R[] {
  const at = before.indexOf(focused);
  const own = rows.find((r) => r.key === focused) ?? (gone && { ...gone, p: undefined });
  if (at < 0 || !own) return rows;
  const below = new Set(before.slice(at + 1));
  const mine = own.p === undefined ? Infinity : rows.indexOf(own);
  const others = rows.filter((r) => r.key !== focused);
  return [...others.filter((r) => !below.has(r.key) && rows.indexOf(r) < mine), own, ...others.filter((r) => below.has(r.key) || rows.indexOf(r) > mine)];
}

/**
 * The rows to show while a word has keyboard focus (see keepInPlace), and the one time
 * focus is moved in code: after the person appended a word from this list, the answer
 * for the longer prompt replaces the rows, and focus goes to its first row if the old
 * one went with them — never later, and never when focus has gone elsewhere meanwhile.
 */
function useFocusKeptRows(rows: Row[], answered: string | undefined, list: RefObject<HTMLOListElement | null>, modelId: string | undefined) {
  // Kept for the model and prompt it was focused on: another model's word never stays on show.
  const [focus, setFocus] = useState<{ key: string; prompt: string | undefined; modelId: string | undefined } | null>(null);
  /** The prompt a press in this list asked for, until its answer arrives or focus goes elsewhere. */
  const pendingFocus = useRef<string | null>(null);
  /** The rows as last drawn: their order is the DOM's, and a focused word that left the list is taken from here. */
  const drawn = useRef<Row[]>([]);
  const kept = focus && focus.prompt === answered && focus.modelId === modelId;
  // The rows as the DOM holds them are what keeping a focused row in place is about: read
  // while rendering on purpose (a state copy would lag one render and move the focused node).
  /* eslint-disable react-hooks/refs */
  const shown = kept
    ? keepInPlace(
        drawn.current.map((r) => r.key),
        focus.key,
        rows,
        drawn.current.find((r) => r.key === focus.key),
      )
    : rows;
  /* eslint-enable react-hooks/refs */
  useLayoutEffect(() => {
    drawn.current = shown;
  });
  useLayoutEffect(() => {
    if (!focus || (focus.prompt === answered && focus.modelId === modelId)) return;
    // Another prompt was answered while a word here had focus: one of them was appended.
    const el = list.current;
    const asked = pendingFocus.current === answered;
    if (asked) pendingFocus.current = null;
    const active = document.activeElement;
    if (asked && (!active || active === document.body)) el?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const now = el?.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.key : undefined;
    // Where focus landed is known only after the DOM changed: this effect reads it, then says so.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setFocus(now !== undefined ? { key: now, prompt: answered, modelId } : null);
  }, [answered, focus, list, modelId]);
  const onFocus = (key: string) => setFocus({ key, prompt: answered, modelId });
  // Checked once the focus change settles: switching windows keeps activeElement here.
  const onBlur = () =>
    setTimeout(() => {
      const active = document.activeElement;
      if (list.current?.contains(active)) return;
      if (active && active !== document.body) pendingFocus.current = null; // the person went elsewhere
      if (pendingFocus.current === null) setFocus(null);
    }, 0);
  const appended = (prompt: string) => (pendingFocus.current = prompt);
  const moved = kept && shown.some((r, i) => r.key !== rows[i]?.key) ? shown.find((r) => r.key === focus.key) : undefined;
  return { shown, focused: kept ? focus.key : undefined, moved, onFocus, onBlur, appended };
}

function RankedBars({ view }: { view: 'words' | 'tokens' }) {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const answered = useFolio((s) => shownRankedOf(s)?.prompt); // the prompt these bars answer (it can trail the box)
  const modelId = useFolio((s) => shownRankedOf(s)?.modelId); // the model they belong to: always the live one (or a snapshot of its run)
  const step = useFolio((s) => shownRankedOf(s)?.step);
  const list = useRef<HTMLOListElement>(null);
  const { shown, focused, moved, onFocus, onBlur, appended } = useFocusKeptRows(useRows(view), answered, list, modelId);
  const completing = view === 'words' ? shown.find((r) => r.prefix)?.prefix : undefined;
  return (
    <>
      {completing && (
        <p className="completing small" data-testid="completing">
          {t.completing(completing)}
        </p>
      )}
      <ol
        ref={list}
        className="bars"
        data-testid="ranked"
        data-prompt={answered}
        data-model={modelId}
        data-at-step={step}
        data-focus-kept={focused !== undefined || undefined}
        aria-label={t.rankedNext(view === 'words' ? t.showWords : t.showTokens)}
        onBlur={onBlur}
      >
        {shown.map((r) => (
          <li key={r.key}>
            <button
              className={`bar-row${r.p === undefined ? ' bar-out' : ''}`}
              data-testid={view === 'words' ? 'next-word' : 'next-token'}
              data-key={r.key}
              data-word={view === 'words' ? r.word : undefined}
              data-continues={r.prefix ? 'true' : undefined}
              data-prob={r.p}
              disabled={!r.append}
              onFocus={() => onFocus(r.key)}
              onClick={() => {
                appended(prompt + r.append);
                commands.nextWords.setPrompt(prompt + r.append);
              }}
              title={r.p === undefined ? t.notInTop : r.title}
            >
              {/* Bars on an absolute 0–100 % scale: a guess at 3 % looks like a guess at 3 %. */}
              <ProbBar
                label={
                  <>
                    {r.prefix && <span className="cont-prefix">{r.prefix}</span>}
                    {r.label}
                  </>
                }
                fraction={r.p ?? 0}
                value={r.p === undefined ? '–' : t.pct(r.p)}
              />
            </button>
          </li>
        ))}
      </ol>
      {moved && <p className="muted small">{t.keptInPlace(moved.prefix + moved.label)}</p>}
    </>
  );
}

function PredictionNotes({ view }: { view: 'words' | 'tokens' }) {
  const t = useT();
  const result = useFolio((s) => shownRankedOf(s)?.result);
  if (!result) return null;
  if (view === 'words' && result.bases) return <DnaNotes />;
  return (
    <p className="muted small">
      {view === 'words'
        ? `${t.otherWords}: ${t.pct(result.otherWords)} · ${t.uncovered}: ${t.pct(result.uncovered)}`
        : result.bases
          ? t.dnaTokensExplain
          : t.tokensExplain}
      {result.unknown.length > 0 && ` · ${t.unknownChars}: ${result.unknown.join(' ')}`}
      {result.croppedTokens > 0 && ` · ${t.cropped(result.croppedTokens)}`}
    </p>
  );
}

export function NextWordsPanel() {
  const t = useT();
  const say = useSay();
  const step = useFolio((s) => shownRankedOf(s)?.step);
  // While rewound, the snapshot's own failure (a prompt it cannot read) is what the bars would show.
  const error = useFolio((s) => (rewoundAtOf(s) !== undefined ? s.rewind.error : s.predictionError));
  const prompt = useFolio((s) => s.prompt);
  const [view, setView] = useState<'words' | 'tokens'>('words');
  const dna = useIsDna();
  return (
    <Panel id="next-h" className="next-words" title={t.nextTitle} hint={dna ? t.dnaHint : t.nextHint}>
      <PromptBox />
      <div className="row wrap" role="radiogroup" aria-label={t.showWhat}>
        <label>
          <input type="radio" name="next-view" checked={view === 'words'} onChange={() => setView('words')} /> {dna ? t.dnaShowBases : t.showWords}
        </label>
        <label>
          <input type="radio" name="next-view" checked={view === 'tokens'} onChange={() => setView('tokens')} /> {t.showTokens}
        </label>
        <BarsTemperature />
        {step !== undefined && !error && (
          <span className="muted push-right" data-testid="answered-step" data-step={step}>
            {t.atStep(step)}
          </span>
        )}
      </div>
      {error ? (
        <p className="muted prompt-hint" role="status">
          {prompt === '' ? t.emptyPrompt : say(error)}
        </p>
      ) : (
        <>
          {dna && view === 'words' && <NextBaseStrip />}
          <SideBySide view={view} mine={<RankedBars view={view} />} />
          <PredictionNotes view={view} />
          <RewindSample />
        </>
      )}
      <TrackedWord />
    </Panel>
  );
}
