/**
 * What the snapshot on show writes after the prompt (issue 27): a short sample with the
 * page's sampling settings and one fixed seed, so two steps differ by what the model had
 * learned, not by luck. Shown only while rewound.
 */
import { rewoundAtOf, useFolio, useRewound } from '../../state/store';
import { useT } from '../app/useT';

export function RewindSample() {
  const t = useT();
  const at = useFolio(rewoundAtOf);
  const sample = useRewound('sample');
  const prompt = useFolio((s) => s.prompt);
  if (at === undefined || !sample || sample.prompt !== prompt) return null;
  return (
    <p className="rewind-sample" data-testid="rewind-sample" data-step={sample.step}>
      <span className="muted small">{t.rewindSampleAt(sample.step)} </span>
      <span className="muted">…{prompt.slice(-24)}</span>
      <strong>{sample.text}</strong>
    </p>
  );
}
