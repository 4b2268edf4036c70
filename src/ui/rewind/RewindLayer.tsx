/**
 * Rewind on the loss chart (issue 27): a mark under the curve at every snapshot of the run,
 * the snapshot on show as a line across the chart, and pressing or dragging anywhere on the
 * plot picks the snapshot nearest the pointer (past the newest, "now": the live model).
 * Drawn inside LossChart's recharts frame with its scales (chartParts.ts); the keyboard's
 * way in is RewindControl's slider under the chart, which shows the same choice.
 */
import { useEffect, useRef } from 'react';
import { usePlotArea, useXAxisInverseScale, useXAxisScale } from 'recharts';
import { rewoundAtOf, snapshotStepsOf, useFolio } from '../../state/store';
import { commands } from '../app/commands';
import type { Scale } from '../shared/chartParts';
import { useT } from '../app/useT';

const MARK = '#c2410c';

/** The snapshot nearest to `step` among `steps`, or undefined for "now" when the live step is nearer. */
export function pick(steps: readonly number[], step: number, now: number): number | undefined {
  let best: number | undefined;
  let dist = Math.abs(now - step);
  for (const s of steps) {
    const d = Math.abs(s - step);
    if (d < dist || (d === dist && s === now)) [best, dist] = [s, d];
  }
  return best;
}

export function RewindLayer() {
  const t = useT();
  const steps = useFolio(snapshotStepsOf);
  const at = useFolio(rewoundAtOf);
  const plot = usePlotArea();
  const x = useXAxisScale() as Scale | undefined;
  const invert = useXAxisInverseScale() as ((px: number) => unknown) | undefined;
  const g = useRef<SVGGElement>(null);
  // What a press needs, current at every render (the listeners below are attached once).
  const latest = useRef({ plot, invert, steps });
  useEffect(() => {
    latest.current = { plot, invert, steps };
  });

  useEffect(() => {
    const svg = g.current?.ownerSVGElement;
    if (!svg) return;
    let dragging = false;
    const choose = (e: PointerEvent) => {
      const { plot: p, invert: inv, steps: st } = latest.current;
      const n = useFolio.getState().run.step; // read when pressed: the layer does not redraw at every step
      if (!p || !inv || st.length === 0) return false;
      const px = e.clientX - svg.getBoundingClientRect().left;
      const py = e.clientY - svg.getBoundingClientRect().top;
      if (!dragging && (px < p.x || px > p.x + p.width || py < p.y || py > p.y + p.height)) return false;
      const step = Number(inv(Math.max(p.x, Math.min(p.x + p.width, px))));
      if (!Number.isFinite(step)) return false;
      const chosen = pick(st, step, n);
      if (chosen === undefined) commands.rewind.rewindNow();
      else commands.rewind.rewindTo(chosen);
      return true;
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || !choose(e)) return;
      dragging = true;
      svg.setPointerCapture?.(e.pointerId);
      e.preventDefault();
    };
    const move = (e: PointerEvent) => dragging && choose(e);
    const up = () => (dragging = false);
    svg.addEventListener('pointerdown', down);
    svg.addEventListener('pointermove', move);
    svg.addEventListener('pointerup', up);
    svg.addEventListener('pointercancel', up);
    return () => {
      svg.removeEventListener('pointerdown', down);
      svg.removeEventListener('pointermove', move);
      svg.removeEventListener('pointerup', up);
      svg.removeEventListener('pointercancel', up);
    };
  }, []);

  const bottom = plot ? plot.y + plot.height : 0;
  const xAt = at === undefined ? undefined : x?.(at);
  return (
    <g ref={g} className="rewind-layer" data-testid="rewind-layer" data-snapshots={steps.length} aria-label={t.rewindChartLabel} pointerEvents="none">
      {plot &&
        x &&
        steps.map((s) => {
          const px = x(s);
          if (px === undefined || px < plot.x - 0.5 || px > plot.x + plot.width + 0.5) return null;
          return <path key={s} d={`M${px.toFixed(1)},${bottom}l-4,-7h8z`} fill={s === at ? MARK : '#9ca3af'} data-step={s} className="rewind-mark" />;
        })}
      {plot && xAt !== undefined && (
        <g className="rewind-line">
          <line x1={xAt} x2={xAt} y1={plot.y} y2={bottom} stroke={MARK} strokeWidth={2} strokeDasharray="5 3" />
          <text x={xAt + 4} y={plot.y + 12} fontSize={11} fill={MARK}>
            {t.rewindAtText(at!)}
          </text>
        </g>
      )}
    </g>
  );
}
