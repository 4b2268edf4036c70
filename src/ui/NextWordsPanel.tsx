/**
 * The heart of Folio: a prompt, and the model's ranked guesses for what comes next —
 * whole words (each the product of its tokens' probabilities) or the raw next tokens —
 * plus one word followed over training.
 */
import { useState } from 'react';
import { setPrompt } from '../state/bridge';
import { DEFAULT_PROMPT, useFolio } from '../state/store';
import { pct, useT } from './i18n';
import { TrackedWord } from './TrackedWord';

export const PRESET_PROMPTS = [
  DEFAULT_PROMPT,
  'At the end of the show, the singer took a bow',
  'Jack wanted to go to the store to buy a new bow for target',
  'ROMEO:\nBut soft, what light through yonder window',
];

function PromptBox() {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  return (
    <>
      <label className="prompt">
        <span className="visually-hidden">{t.prompt}</span>
        <textarea data-testid="prompt-input" aria-label={t.prompt} value={prompt} rows={2} onChange={(e) => setPrompt(e.target.value)} spellCheck={false} />
      </label>
      <div className="row wrap" role="group" aria-label={t.presetPrompts}>
        {PRESET_PROMPTS.map((p, i) => (
          <button key={p} className="chip" onClick={() => setPrompt(p)} title={p} aria-pressed={prompt === p}>
            {t.presetNames[i]}
          </button>
        ))}
      </div>
    </>
  );
}

function RankedBars({ view }: { view: 'words' | 'tokens' }) {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const result = useFolio((s) => s.prediction?.result);
  const rows =
    view === 'words'
      ? (result?.words ?? []).map((w) => ({ key: w.word, label: w.word, p: w.p, append: /^[\p{L}\p{N}]/u.test(w.word) && !/\s$/u.test(prompt) ? ` ${w.word}` : w.word }))
      : (result?.tokens ?? []).map((tk) => ({ key: String(tk.id), label: tk.display, p: tk.p, append: tk.token }));
  const max = Math.max(1e-9, ...rows.map((r) => r.p));
  return (
    <ol className="bars" aria-label={t.rankedNext(view === 'words' ? t.showWords : t.showTokens)}>
      {rows.map((r) => (
        <li key={r.key}>
          <button
            className="bar-row"
            data-testid={view === 'words' ? 'next-word' : 'next-token'}
            data-word={view === 'words' ? r.label : undefined}
            data-prob={r.p}
            onClick={() => setPrompt(prompt + r.append)}
            title={t.append(r.label)}
          >
            <span className="bar-label">{r.label}</span>
            <span className="bar-track">
              <span className="bar" style={{ width: `${(r.p / max) * 100}%` }} />
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
      {error && <p className="error-inline" role="status">{error}</p>}
      <RankedBars view={view} />
      <PredictionNotes view={view} />
      <TrackedWord />
    </section>
  );
}
