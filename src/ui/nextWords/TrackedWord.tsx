/**
 * One word's probability after the prompt, step by step: the moment a model "learns".
 * Drawn like the loss chart (chartParts.ts): the chart frame is made once and the line
 * is an SVG path placed with recharts' scales, so a new point costs ~1 ms.
 */
import { memo } from 'react';
import { CartesianGrid, ComposedChart, ResponsiveContainer, useXAxisScale, useYAxisScale, YAxis } from 'recharts';
import { commands } from '../app/commands';
import { rankedOf, trackCurveOf, useFolio } from '../../state/store';
import { niceCeil, pathOf, throttledView, type Scale } from '../shared/chartParts';
import { useStepAxis } from '../shared/StepAxis';
import { useT } from '../app/useT';

const REDRAW_MS = 500;

/** The tracked word's curve for the prompt on show, of the live model (each word keeps its own: promptSlice.ts). */
const useHistory = throttledView(
  () => trackCurveOf(useFolio.get()),
  (notify) => useFolio.subscribe((s, prev) => trackCurveOf(s) !== trackCurveOf(prev) && notify()),
  REDRAW_MS,
);

function TrackAxes() {
  const h = useHistory();
  // With no points yet (a new prompt or word cleared them) the axis stays at the model's
  // current step, where the next point will land, instead of jumping back to 0–100.
  const at = useFolio((s) => Math.floor(s.run.step / 100) * 100);
  const first = h[0]?.step ?? at;
  const last = h.at(-1)?.step ?? at;
  const x0 = first > 1 ? Math.floor(first / 100) * 100 : 0;
  const x1 = niceCeil(Math.max(1, last - x0)) + x0;
  const t = useT();
  const xAxis = useStepAxis(x0, x1, 4);
  return (
    <>
      {xAxis}
      <YAxis type="number" domain={[0, 1]} ticks={TICKS} interval={0} tickFormatter={(v: number) => t.pct(v)} width={52} allowDataOverflow />
    </>
  );
}
const TICKS = [0, 0.25, 0.5, 0.75, 1];

function TrackSeries() {
  const t = useT();
  const h = useHistory();
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale() as Scale | undefined;
  if (!x || !y) return null;
  return (
    <g className="track-series">
      <path d={pathOf(h, (p) => p.p, x, y)} fill="none" stroke="#c2410c" strokeWidth={2} />
      {h.length <= 60 &&
        h.map((p) => (
          <circle key={p.step} cx={x(p.step)} cy={y(p.p)} r={3} fill="#c2410c">
            <title>{`${t.step} ${t.num(p.step)}: ${t.pct(p.p)}`}</title>
          </circle>
        ))}
    </g>
  );
}

// Room on the right for the last x tick's label ("1.600" centred on the plot's edge).
const MARGIN = { top: 10, right: 28, bottom: 0, left: 4 };

const TrackChart = memo(function TrackChart() {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart margin={MARGIN}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e3e3e3" />
        <TrackAxes />
        <TrackSeries />
      </ComposedChart>
    </ResponsiveContainer>
  );
});

function TrackFrame() {
  const t = useT();
  const h = useHistory();
  const empty = useFolio((s) => s.prompt === ''); // said above the chart: no prompt, nothing to follow
  return (
    <>
      {/* Said above the chart, not over it: the first point and the axis labels stay readable. */}
      {h.length < 2 && !empty && <p className="muted small track-empty">{t.trackEmpty}</p>}
      <div className="track-box" data-testid="track-chart" data-points={h.length}>
        <TrackChart />
      </div>
    </>
  );
}

/**
 * P(word) for the prompt as it is now: nothing for an empty prompt (there is nothing to
 * predict from), and nothing while the answer for the current prompt and word is still
 * on its way or failed — never the last prompt's number.
 */
function TrackNow({ word }: { word: string }) {
  const t = useT();
  const empty = useFolio((s) => s.prompt === '');
  const now = useFolio((s) => {
    const ranked = rankedOf(s);
    return ranked && ranked.prompt === s.prompt && !s.predictionError ? ranked.result.tracked : undefined;
  });
  if (/\S\s+\S/.test(word)) return <span className="muted small">{t.oneWord}</span>;
  if (empty)
    return (
      <span className="muted small" data-testid="track-no-prompt">
        {t.trackNoPrompt}
      </span>
    );
  if (!now || now.word !== word.trim()) return null;
  return (
    <span className="track-now" data-testid="track-prob" data-prob={now.p}>
      {t.trackNow(now.word, t.pct(now.p))}
    </span>
  );
}

export function TrackedWord() {
  const t = useT();
  const word = useFolio((s) => s.settings.track);
  return (
    <section className="track" aria-labelledby="track-h">
      <h3 id="track-h">{t.trackTitle}</h3>
      <p className="hint">{t.trackHint}</p>
      <div className="row wrap">
        <label className="inline-field">
          {t.trackWord}{' '}
          <input data-testid="track-word" value={word} size={12} onChange={(e) => commands.nextWords.setTrack(e.target.value)} spellCheck={false} />
        </label>
        <TrackNow word={word} />
      </div>
      <TrackFrame />
    </section>
  );
}
