/**
 * The same prompt, ranked by the reference model (the model before this fine-tuning
 * stage) and by the model now: what the stage changed, word by word, and its top word
 * before and now in one line (with the fox sentence as the prompt, forgetting shows here:
 * "dog" before, "lazye" now).
 */
import { useEffect } from 'react';
import type { Prediction } from '../../predict/predictor';
import { useFolio, useRanked, useBefore } from '../../state/store';
import { commands } from '../app/commands';
import { useT } from '../app/useT';
import { ProbBar } from '../shared/ProbBar';

function Words({ result, testid }: { result: Prediction; testid?: string }) {
  const t = useT();
  return (
    <ol className="bars small" data-testid={testid}>
      {result.words.slice(0, 6).map((w) => (
        <li key={w.word + (w.continues ? '+' : '')} className="bar-row" data-testid="next-word" data-word={w.word} data-prob={w.p}>
          <ProbBar label={w.word} fraction={w.p} value={t.pct(w.p)} />
        </li>
      ))}
    </ol>
  );
}

export function BeforeAfter() {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const before = useBefore();
  const after = useRanked();
  const stages = useFolio((s) => s.tune.stages.length);
  const running = useFolio((s) => s.run.state === 'running');
  // Ask the reference again when the prompt or the stage changes (it is frozen meanwhile).
  useEffect(() => {
    if (!running) commands.fineTune.predictReference();
  }, [prompt, stages, running]);
  return (
    <div className="before-after">
      <h3>{t.beforeAfter}</h3>
      {before?.result?.words[0] && after?.result.words[0] && (
        <p className="small" data-testid="top-word" data-before={before.result.words[0].word} data-after={after.result.words[0].word}>
          {t.topWord(
            `“${before.result.words[0].word}” ${t.pct(before.result.words[0].p)}`,
            `“${after.result.words[0].word}” ${t.pct(after.result.words[0].p)}`,
          )}
        </p>
      )}
      <div className="two-columns">
        <div>
          <p className="muted small">{t.before}</p>
          {before?.result ? (
            <Words result={before.result} testid="feedback-before" />
          ) : (
            <p className="muted small" data-testid="feedback-before">
              {t.noReference}
            </p>
          )}
        </div>
        <div>
          <p className="muted small">{t.after}</p>
          {after && <Words result={after.result} testid="feedback-after" />}
        </div>
      </div>
    </div>
  );
}
