/**
 * What the loss chart draws besides the live run: the stored runs the person ticked (their
 * smoothed train loss as a line, val loss dashed with dots, in the run's colour) and the
 * line at random guessing, ln(vocabulary), where an untrained model's loss starts.
 * Drawn inside LossChart's recharts frame with its scales (see chartParts.ts), in the unit
 * the page shows (state/lossUnit.ts): in bits per character each run is scaled by its own
 * characters per token, so a BPE run and a character run compare; a run that never
 * measured them is left out of a bits chart (and counted, so the chart can say so).
 */
import { useMemo } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { smooth } from '../../train/coach';
import { useLiveRunId, useRuns } from '../../state/runs';
import { runLoss, useShownUnit } from '../../state/lossUnit';
import { useFolio } from '../../state/store';
import { pathOf, type Scale } from '../shared/chartParts';
import { useT } from '../app/useT';

const PALETTE = ['#7c3aed', '#059669', '#d97706', '#db2777', '#0891b2', '#65a30d', '#dc2626', '#4f46e5', '#a16207', '#0f766e', '#9333ea', '#be123c'];
/** The live run's colour on the chart (LossChart's smoothed line). */
export const LIVE_COLOR = '#1f5fa8';

export function runColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export interface OverlayRun {
  id: string;
  color: string;
  train: { step: number; loss: number }[];
  val: { step: number; val: number }[];
}

/** The ticked runs other than the live one, smoothed, in the unit shown, with the extent they need on the axes. */
export function useOverlays(): { runs: OverlayRun[]; lo: number; hi: number; last: number; notDrawn: number } {
  const runs = useRuns((s) => s.runs);
  const liveId = useLiveRunId();
  const { unit } = useShownUnit();
  return useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    let last = 0;
    let notDrawn = 0;
    const out: OverlayRun[] = [];
    runs.forEach((r, i) => {
      if (!r.overlay || r.id === liveId) return;
      const k = runLoss(r, 1, unit);
      const kTrain = runLoss(r, 1, unit, 'train');
      if (!Number.isFinite(k) || !Number.isFinite(kTrain)) return void notDrawn++;
      const sm = smooth(r.curves.train.map((p) => p.loss));
      const train = r.curves.train.map((p, j) => ({ step: p.step, loss: sm[j]! * kTrain })).filter((p) => Number.isFinite(p.loss));
      const val = r.curves.val.map((v) => ({ step: v.step, val: v.val * k })).filter((v) => Number.isFinite(v.val));
      for (const [step, y] of [...train.map((p) => [p.step, p.loss] as const), ...val.map((v) => [v.step, v.val] as const)]) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
        last = Math.max(last, step);
      }
      out.push({ id: r.id, color: runColor(i), train, val });
    });
    return { runs: out, lo, hi, last, notDrawn };
  }, [runs, liveId, unit]);
}

export function RunsOverlay() {
  const { runs } = useOverlays();
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale() as Scale | undefined;
  if (!x || !y) return null;
  return (
    <g className="runs-overlay" pointerEvents="none">
      {runs.map((r) => (
        <g key={r.id} data-run-id={r.id}>
          <path d={pathOf(r.train, (p) => p.loss, x, y)} fill="none" stroke={r.color} strokeWidth={1.6} strokeOpacity={0.85} />
          <path d={pathOf(r.val, (v) => v.val, x, y)} fill="none" stroke={r.color} strokeWidth={1} strokeDasharray="4 3" />
          {r.val.map((v) => (
            <circle key={v.step} cx={x(v.step)} cy={y(v.val)} r={2.5} fill={r.color} />
          ))}
        </g>
      ))}
    </g>
  );
}

/** The dashed line at random guessing, labelled: ln(vocabulary) nats per token, or log₂(vocabulary) ÷ characters per token in bits. */
export function ChanceLine() {
  const t = useT();
  const vocab = useFolio((s) => s.model?.vocabSize);
  const { factor, unit, text } = useShownUnit();
  const plot = usePlotArea();
  const y = useYAxisScale() as Scale | undefined;
  if (!vocab || !plot || !y) return null;
  const v = Math.log(vocab) * factor;
  const py = y(v);
  if (py === undefined || py < plot.y || py > plot.y + plot.height) return null;
  return (
    <g className="chance-line" data-testid="chance-line" data-value={v.toFixed(4)} pointerEvents="none">
      <line x1={plot.x} x2={plot.x + plot.width} y1={py} y2={py} stroke="#6b7280" strokeDasharray="6 4" />
      <text x={plot.x + plot.width - 4} y={py - 4} textAnchor="end" fontSize={11} fill="#4b5563">
        {unit === 'nats' ? t.chanceLine(t.fixed(v, 2)) : t.chanceLineBits(t.fixed(v, 2), t.unitShort(unit, text))}
      </text>
    </g>
  );
}
