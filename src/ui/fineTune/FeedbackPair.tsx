/**
 * Two samples of the model after a prompt, each complete (to a sentence's or a word's end):
 * the person picks the better, marks both bad, or skips; and the ratings kept. Two samples
 * the same are not a choice: the model wrote one text every time, and the panel says so.
 */
import { useState } from 'react';
import { useFolio, useFeedbackPair, useModelId } from '../../state/store';
import { commands } from '../app/commands';
import { useT } from '../app/useT';

/** A crop of the fox sentence the bundled model (context 32 characters) sees whole. */
export const FEEDBACK_PROMPT = 'brown fox jumps over the lazy';

export function FeedbackPair() {
  const t = useT();
  const pair = useFeedbackPair();
  const ready = useFolio((s) => !!s.model);
  // What the person typed belongs to the model they typed it for: a new model starts from a prompt that fits it.
  const modelId = useModelId();
  const fitting = useFolio((s) => (s.model?.tokenizer === 'kmer' ? s.prompt.slice(-24) : FEEDBACK_PROMPT));
  const [typed, setTyped] = useState<{ modelId?: string; prompt: string }>();
  const prompt = typed && typed.modelId === modelId ? typed.prompt : fitting;
  const setPrompt = (p: string) => setTyped({ modelId, prompt: p });
  return (
    <div className="feedback-pair">
      <div className="row wrap">
        <label className="inline-field">
          {t.feedbackPrompt} <input data-testid="feedback-prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} spellCheck={false} size={32} />
        </label>
        <button className="secondary" data-testid="feedback-show" disabled={!ready} onClick={() => commands.fineTune.showPair(prompt)}>
          {t.showPair}
        </button>
      </div>
      {pair && (
        <>
          <div className="pair-options">
            {([pair.a, pair.b] as const).map((text, i) => (
              <button
                key={i}
                className="secondary pair-option"
                data-testid="feedback-option"
                data-text={text}
                disabled={pair.same}
                onClick={() => commands.fineTune.rate(i === 0 ? 'a' : 'b')}
                title={t.better}
              >
                <span className="muted">{pair.prompt}</span>
                <strong>{text}</strong>
              </button>
            ))}
          </div>
          {pair.same && (
            <p className="muted small" data-testid="feedback-same">
              {t.sameSamples}
            </p>
          )}
          <div className="row">
            <button className="secondary" data-testid="feedback-bad" onClick={() => commands.fineTune.rate('bad')}>
              {t.bothBad}
            </button>
            <button className="secondary" onClick={() => commands.fineTune.rate('skip')}>
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
              <button className="link" onClick={() => commands.fineTune.deleteRating(i)}>
                {t.deleteRating}
              </button>
            </li>
          ))}
      </ol>
    </details>
  );
}
