/**
 * One bar of a bar chart of chances (or of sizes): its label, the track with the bar filled
 * to a fraction of it, and the number beside it. Only the cells: the row around them (a list
 * item, a button, a tile) is the caller's, with its own test ids and data.
 */
import type { ReactNode } from 'react';

export interface ProbBarProps {
  /** What the bar stands for (a word, a group); left out, the row has no label cell. */
  label?: ReactNode;
  /** The label cell's class (`bar-label` unless the rows are styled otherwise) and its tooltip. */
  labelClass?: string;
  labelTitle?: string;
  /** How full the bar is, 0 to 1 of its track (a probability, or a share of the largest). */
  fraction: number;
  /** The number beside the bar, already written out (`12 %`, `–`, `3.1e-2`). */
  value: ReactNode;
  /** Another class beside `bar-track` (a narrower track). */
  trackClass?: string;
  /** At 0 the track stays empty: no sliver (`.bar` has a minimum width so that a tiny chance still shows). */
  emptyAtZero?: boolean;
  /** Standing up, in a tile (the DNA bases): the label on top, the bar rising from the track's floor. */
  upright?: boolean;
}

export function ProbBar({ label, labelClass = 'bar-label', labelTitle, fraction, value, trackClass, emptyAtZero, upright }: ProbBarProps) {
  const percent = `${fraction * 100}%`;
  if (upright)
    return (
      <>
        <strong>{label}</strong>
        <span className="dna-base-track">
          <span className="dna-base-bar" style={{ height: percent }} />
        </span>
        <span className="small">{value}</span>
      </>
    );
  return (
    <>
      {label !== undefined && (
        <span className={labelClass} title={labelTitle}>
          {label}
        </span>
      )}
      <span className={trackClass ? `bar-track ${trackClass}` : 'bar-track'}>
        {!(emptyAtZero && fraction <= 0) && <span className="bar" style={{ width: percent }} />}
      </span>
      <span className="bar-value">{value}</span>
    </>
  );
}
