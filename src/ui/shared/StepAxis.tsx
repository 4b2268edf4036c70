/**
 * The step axis the live charts share (the loss chart, a tracked word's curve): made anew
 * only when its rounded domain changes, since every new axis element re-lays the chart out.
 */
import { useMemo } from 'react';
import { XAxis } from 'recharts';
import { useT } from '../app/useT';
import { linearTicks } from './chartParts';

export function useStepAxis(x0: number, x1: number, tickCount: number) {
  const t = useT();
  return useMemo(
    () => (
      <XAxis
        type="number"
        dataKey="step"
        domain={[x0, x1]}
        ticks={linearTicks(x0, x1, (x1 - x0) / tickCount, tickCount)}
        interval={0}
        tickFormatter={(v: number) => t.num(v)}
        allowDataOverflow
      />
    ),
    [x0, x1, t, tickCount],
  );
}
