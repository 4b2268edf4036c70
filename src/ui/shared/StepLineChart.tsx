/**
 * A small line chart over training steps: the frame the fine-tuning charts share (grid,
 * step and value axes on nice ticks, a tooltip reading "step N", a legend). The lines, and
 * any reference line, are the caller's children.
 */
import type { ReactNode } from 'react';
import { CartesianGrid, Legend, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { niceTicks } from './chartParts';
import { useT } from '../app/useT';

type Ticks = ReturnType<typeof niceTicks>;

export function StepLineChart({ data, x, y, children }: { data: readonly object[]; x: Ticks; y: Ticks; children: ReactNode }) {
  const t = useT();
  const tick = (v: number) => t.num(v);
  return (
    <div style={{ width: '100%', height: 180 }}>
      <ResponsiveContainer>
        <LineChart data={data as object[]} margin={{ top: 10, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={x.domain} ticks={x.ticks} interval={0} tickFormatter={tick} />
          <YAxis width={48} domain={y.domain} ticks={y.ticks} interval={0} tickFormatter={tick} allowDataOverflow />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? t.fixed(v, 3) : String(v))}
            labelFormatter={(l) => `${t.step} ${typeof l === 'number' ? t.num(l) : String(l)}`}
          />
          <Legend />
          {children}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
