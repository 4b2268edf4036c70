/**
 * The heart of Folio: a prompt, and the model's ranked guesses for what comes next —
 * whole words (each the product of its tokens' probabilities) or the raw next tokens —
 * plus one word followed over training.
 */
import { useEffect, useRef, useState } from 'react';
import { commands } from './commands';
import { BOW_SENTENCES, DEFAULT_PROMPT, useFolio } from '../state/store';
import { pct } from '../i18n';
import { useSay, useT } from './useT';
import { TrackedWord } from './TrackedWord';

export const PRESET_PROMPTS = [
  DEFAULT_PROMPT,
  BOW_SENTENCES.bowShow,
  BOW_SENTENCES.bowTarget,
  'ROMEO:\nBut soft, what light through yonder window',
];

function PromptBox() {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  return (
    <>
      <label className="prompt">
        <span className="visually-hidden">{t.prompt}</span>
        <textarea data-testid="prompt-input" aria-label={t.prompt} value={prompt} rows={2} onChange={(e) => commands.setPrompt(e.target.value)} spellCheck={false} />
      </label>
      <div className="row wrap" role="group" aria-label={t.presetPrompts}>
        {PRESET_PROMPTS.map((p, i) => (
          <button key={p} className="chip" onClick={() => commands.setPrompt(p)} title={p} aria-pressed={prompt === p}>
            {t.presetNames[i]}
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

function RankedBars({ view }: { view: 'words' | 'tokens' }) {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const result = useFolio((s) => s.prediction?.result);
  const answered = useFolio((s) => s.prediction?.prompt); // the prompt these bars answer (it can trail the box)
  const list = useRef<HTMLOListElement>(null);
  const refocus = useRef(false);
  const last = lastWordOf(prompt);
  const rows =
    view === 'words'
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
      : (result?.tokens ?? []).map((tk) => ({ key: String(tk.id), word: tk.token, prefix: '', label: tk.display, p: tk.p, title: t.append(tk.display), append: tk.token }));
  // After a click the list is rebuilt: keep keyboard focus in it (on the new first item).
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    list.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [result]);
  return (
    <ol ref={list} className="bars" data-testid="ranked" data-prompt={answered} aria-label={t.rankedNext(view === 'words' ? t.showWords : t.showTokens)}>
      {rows.map((r) => (
        <li key={r.key}>
          <button
            className="bar-row"
            data-testid={view === 'words' ? 'next-word' : 'next-token'}
            data-word={view === 'words' ? r.word : undefined}
            data-continues={r.prefix ? 'true' : undefined}
            data-prob={r.p}
            disabled={!r.append}
            onClick={() => {
              refocus.current = true;
              commands.setPrompt(prompt + r.append);
            }}
            title={r.title}
          >
            <span className="bar-label">
              {r.prefix && <span className="cont-prefix">{r.prefix}</span>}
              {r.label}
            </span>
            {/* Bars on an absolute 0–100 % scale: a guess at 3 % looks like a guess at 3 %. */}
            <span className="bar-track">
              <span className="bar" style={{ width: `${r.p * 100}%` }} />
            </span>
            <span className="bar-value">{pct(r.p)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function PredictionNotes({ view }: { view: 'words' | 'tokens' }) {
  const t = useT();
  const result = useFolio((s) => s.prediction?.result);
  if (!result) return null;
  return (
    <p className="muted small">
      {view === 'words' ? `${t.otherWords}: ${pct(result.otherWords)} · ${t.uncovered}: ${pct(result.uncovered)}` : t.tokensExplain}
      {result.unknown.length > 0 && ` · ${t.unknownChars}: ${result.unknown.join(' ')}`}
      {result.croppedTokens > 0 && ` · ${t.cropped(result.croppedTokens)}`}
    </p>
  );
}

export function NextWordsPanel() {
  const t = useT();
  const step = useFolio((s) => s.prediction?.step);
  const error = useFolio((s) => s.predictionError);
  const say = useSay();
  const [view, setView] = useState<'words' | 'tokens'>('words');
  return (
    <section className="panel next-words" aria-labelledby="next-h">
      <h2 id="next-h">{t.nextTitle}</h2>
      <p className="hint">{t.nextHint}</p>
      <PromptBox />
      <div className="row" role="radiogroup" aria-label={t.showWhat}>
        <label>
          <input type="radio" name="next-view" checked={view === 'words'} onChange={() => setView('words')} /> {t.showWords}
        </label>
        <label>
          <input type="radio" name="next-view" checked={view === 'tokens'} onChange={() => setView('tokens')} /> {t.showTokens}
        </label>
        {step !== undefined && <span className="muted push-right">{t.atStep(step)}</span>}
      </div>
      {error ? (
        <p className="muted prompt-hint" role="status">
          {say(error)}
        </p>
      ) : (
        <>
          <RankedBars view={view} />
          <PredictionNotes view={view} />
        </>
      )}
      <TrackedWord />
    </section>
  );
}
