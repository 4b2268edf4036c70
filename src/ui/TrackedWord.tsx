/** One word's probability after the prompt, step by step: the moment a model "learns". */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { setTrack } from '../state/bridge';
import { useFolio } from '../state/store';
import { pct, useT } from './i18n';
import { useThrottled } from './useThrottled';

const TrackChart = memo(function TrackChart({ points }: { points: { step: number; p: number }[] }) {
  const t = useT();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e3e3e3" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tickCount={4} />
        <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={40} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? pct(v) : String(v))} labelFormatter={(s) => `${t.step} ${s}`} isAnimationActive={false} />
        <Line dataKey="p" name={t.probability} stroke="#c2410c" strokeWidth={2} dot={points.length < 30} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
});

export function TrackedWord() {
  const t = useT();
  const word = useFolio((s) => s.settings.track);
  // Drawn at most every 2 s: a chart redraw is one of the page's heaviest tasks.
  const history = useThrottled(useFolio((s) => s.trackHistory), 2000);
  const now = useFolio((s) => s.prediction?.result.tracked);
  const points = useMemo(() => history.slice(-300), [history]);
  return (
    <section className="track" aria-labelledby="track-h">
      <h3 id="track-h">{t.trackTitle}</h3>
      <p className="hint">{t.trackHint}</p>
      <div className="row">
        <label className="inline-field">
          {t.trackWord}{' '}
          <input data-testid="track-word" value={word} size={12} onChange={(e) => setTrack(e.target.value)} spellCheck={false} />
        </label>
        {now && (
          <span className="track-now" data-testid="track-prob" data-prob={now.p}>
            {t.trackNow(now.word, pct(now.p))}
          </span>
        )}
      </div>
      <div className="track-box" data-testid="track-chart" data-points={points.length}>
        {points.length < 2 ? <p className="muted chart-empty">{t.trackEmpty}</p> : <TrackChart points={points} />}
      </div>
    </section>
  );
}
