/**
 * The heart of Folio: a prompt, and the model's ranked guesses for what comes next —
 * whole words (each the product of its tokens' probabilities) or the raw next tokens.
 */
import { useState } from 'react';
import { setPrompt } from '../state/bridge';
import { useFolio } from '../state/store';

const PRESETS = [
  'The quick brown fox jumps over the lazy',
  'She took a bow after the show, and the singer',
  'He drew the bow and aimed the arrow at the',
  'ROMEO:\nBut soft, what light through yonder window',
];

const pct = (p: number) => (p >= 0.1 ? `${(p * 100).toFixed(0)}%` : p >= 0.001 ? `${(p * 100).toFixed(1)}%` : '<0.1%');

export function NextWordsPanel() {
  const prompt = useFolio((s) => s.prompt);
  const prediction = useFolio((s) => s.prediction);
  const error = useFolio((s) => s.predictionError);
  const [view, setView] = useState<'words' | 'tokens'>('words');
  const result = prediction?.result;
  const rows =
    view === 'words'
      ? (result?.words ?? []).map((w) => ({ key: w.word, label: w.word, p: w.p, append: /^[\p{L}\p{N}]/u.test(w.word) ? ` ${w.word}` : w.word }))
      : (result?.tokens ?? []).map((t) => ({ key: String(t.id), label: t.display, p: t.p, append: t.token }));
  const max = Math.max(1e-9, ...rows.map((r) => r.p));
  return (
    <section className="panel next-words" aria-labelledby="next-h">
      <h2 id="next-h">What comes next?</h2>
      <p className="hint">A language model does one thing: given some text, it gives every possible next word a probability. Type, and watch the guesses change.</p>
      <label className="prompt">
        <span className="visually-hidden">Prompt</span>
        <textarea data-testid="prompt-input" value={prompt} rows={2} onChange={(e) => setPrompt(e.target.value)} spellCheck={false} />
      </label>
      <div className="row wrap">
        {PRESETS.map((p) => (
          <button key={p} className="chip" onClick={() => setPrompt(p)} title={p}>
            {p.length > 28 ? `${p.slice(0, 26)}…` : p}
          </button>
        ))}
      </div>
      <div className="row" role="radiogroup" aria-label="Show next words or next tokens">
        <label>
          <input type="radio" checked={view === 'words'} onChange={() => setView('words')} /> words
        </label>
        <label>
          <input type="radio" checked={view === 'tokens'} onChange={() => setView('tokens')} /> tokens
        </label>
        {prediction && <span className="muted">at step {prediction.step}</span>}
      </div>
      {error && <p className="error-inline">{error}</p>}
      <ol className="bars" aria-label={`ranked next ${view}`}>
        {rows.map((r) => (
          <li key={r.key}>
            <button
              className="bar-row"
              data-testid={view === 'words' ? 'next-word' : 'next-token'}
              data-word={view === 'words' ? r.label : undefined}
              data-prob={r.p}
              onClick={() => setPrompt(prompt + r.append)}
              title={`Append “${r.label}”`}
            >
              <span className="bar-label">{r.label}</span>
              <span className="bar" style={{ width: `${(r.p / max) * 100}%` }} />
              <span className="bar-value">{pct(r.p)}</span>
            </button>
          </li>
        ))}
      </ol>
      {result && view === 'words' && (
        <p className="muted">
          Other words: {pct(result.otherWords)} · not reached by the search: {pct(result.uncovered)}
          {result.unknown.length > 0 && ` · unknown characters ignored: ${result.unknown.join(' ')}`}
        </p>
      )}
    </section>
  );
}
