/** Two samples of the model after a prompt: the person picks the better, marks both bad, or skips; and the ratings kept. */
import { useState } from 'react';
import { useFolio } from '../../state/store';
import { commands } from '../app/commands';
import { useT } from '../app/useT';

/** A crop of the fox sentence the bundled model (context 32 characters) sees whole. */
export const FEEDBACK_PROMPT = 'brown fox jumps over the lazy';

export function FeedbackPair() {
  const t = useT();
  const pair = useFolio((s) => s.tune.pair);
  const ready = useFolio((s) => !!s.model);
  const [prompt, setPrompt] = useState(FEEDBACK_PROMPT);
  return (
    <div className="feedback-pair">
      <div className="row wrap">
        <label className="inline-field">
          {t.feedbackPrompt} <input value={prompt} onChange={(e) => setPrompt(e.target.value)} spellCheck={false} size={32} />
        </label>
        <button className="secondary" data-testid="feedback-show" disabled={!ready} onClick={() => commands.showPair(prompt)}>
          {t.showPair}
        </button>
      </div>
      {pair && (
        <>
          <div className="pair-options">
            {([pair.a, pair.b] as const).map((text, i) => (
              <button key={i} className="secondary pair-option" data-testid="feedback-option" data-text={text} onClick={() => commands.rate(i === 0 ? 'a' : 'b')} title={t.better}>
                <span className="muted">{pair.prompt}</span>
                <strong>{text}</strong>
              </button>
            ))}
          </div>
          <div className="row">
            <button className="secondary" data-testid="feedback-bad" onClick={() => commands.rate('bad')}>
              {t.bothBad}
            </button>
            <button className="secondary" onClick={() => commands.rate('skip')}>
              {t.skip}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** Every rating, newest first, each deletable. */
export function RatingsReview() {
  const t = useT();
  const ratings = useFolio((s) => s.tune.ratings);
  if (ratings.length === 0) return null;
  return (
    <details className="tune-section">
      <summary>{t.review}</summary>
      <ol className="tune-list small" data-testid="ratings">
        {ratings
          .map((r, i) => ({ r, i }))
          .reverse()
          .map(({ r, i }) => (
            <li key={i}>
              <code>{r.prompt}</code>{' '}
              {'chosen' in r ? (
                <>
                  {t.ratingChosen}: <code>{r.chosen}</code> · {t.ratingRejected}: <code>{r.rejected}</code>
                </>
              ) : (
                <>
                  {t.ratingBad}: <code>{r.bad[0]}</code> · <code>{r.bad[1]}</code>
                </>
              )}{' '}
              <button className="link" onClick={() => commands.deleteRating(i)}>
                {t.deleteRating}
              </button>
            </li>
          ))}
      </ol>
    </details>
  );
}
