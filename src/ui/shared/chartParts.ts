/**
 * What the live charts share. They are recharts charts whose *data never goes through
 * recharts*: recharts lays out the frame (size, grid, axes, ticks) and owns the scales,
 * and the series are plain SVG paths placed with those scales (useXAxisScale /
 * useYAxisScale).
 *
 * Why: handing recharts new data every redraw (`<Line data>`) sets off a chain of store
 * updates and synchronous re-renders inside recharts — measured at 50–200 ms of main
 * thread per redraw on a 2-core machine while the worker trains, which stutters the
 * page. Drawing a path ourselves costs about a millisecond. Axes are rebuilt only when
 * their rounded domain changes (a few times per run), since each rebuild re-lays out.
 */
import { useEffect, useState } from 'react';

export type Scale = (v: number) => number | undefined;

/** 1, 2 or 5 × 10^k at or above `v` (at least `min`): an x axis that moves a few times per run. */
export function niceCeil(v: number, min = 100): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(min, v)));
  for (const m of [1, 2, 5]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Ticks from a to b in multiples of `unit`, at most about `most` of them. */
export function linearTicks(a: number, b: number, unit: number, most: number): number[] {
  const step = Math.max(unit, Math.ceil((b - a) / unit / most) * unit);
  const ticks: number[] = [];
  for (let v = a; v <= b + 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

/**
 * Even, round ticks covering [min, max]: a 1, 2 or 5 × 10^k step giving about `count`
 * intervals, the domain widened to whole steps (0, 0.5, 1, 1.5 — never 0, 0.9, 1.8, 3.6).
 */
export function niceTicks(min: number, max: number, count = 4): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  if (max - min < 1e-9) [min, max] = [min - 0.5, max + 0.5];
  const raw = (max - min) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * p >= raw - 1e-12) ?? 10) * p;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-6; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks };
}

/** 1-2-5 ticks between two powers of ten. */
export function logTicks(a: number, b: number): number[] {
  const ticks: number[] = [];
  for (let p = a; p <= b * 1.0001; p *= 10) for (const m of [1, 2, 5]) if (p * m <= b * 1.0001) ticks.push(Math.round(p * m * 1e6) / 1e6);
  return ticks;
}

/** An SVG path through the points (x, y(value)). */
export function pathOf<T extends { step: number }>(data: T[], value: (p: T) => number, x: Scale, y: Scale): string {
  let d = '';
  for (const p of data) d += `${d ? 'L' : 'M'}${(x(p.step) ?? 0).toFixed(1)},${(y(value(p)) ?? 0).toFixed(1)}`;
  return d;
}

/** The point of `a` (sorted by step) nearest to `step`. */
export function nearest<T extends { step: number }>(a: T[], step: number): T | undefined {
  if (a.length === 0) return undefined;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  const prev = a[lo - 1];
  return prev && step - prev.step < a[lo]!.step - step ? prev : a[lo];
}

/**
 * A value derived from the store, recomputed at most every `ms` and published outside
 * React, so only the few components that draw it re-render — not the chart around them.
 */
export function throttledView<V>(compute: () => V, onSourceChange: (notify: () => void) => void, ms: number): () => V {
  let current = compute();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPublished = -Infinity;
  const publish = () => {
    timer = undefined;
    lastPublished = performance.now();
    current = compute();
    for (const l of listeners) l();
  };
  onSourceChange(() => {
    if (timer === undefined) timer = setTimeout(publish, Math.max(0, lastPublished + ms - performance.now()));
  });
  return function useView(): V {
    const [view, setView] = useState(current);
    useEffect(() => {
      const l = () => setView(current);
      listeners.add(l);
      l();
      return () => void listeners.delete(l);
    }, []);
    return view;
  };
}
