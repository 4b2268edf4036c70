/**
 * Rewind's slider under the loss chart (issue 27): one stop per snapshot of the run and a
 * last one for "now" (the live model), so the arrow keys, Home and End, a drag or a phone's
 * thumb step through exactly the snapshots there are; it shows what the chart's own
 * scrubber (RewindLayer.tsx) chose, and says what the snapshots take. Mounted, it keeps the
 * rewound views answered (commands/rewind.ts `watch`).
 */
import { useEffect } from 'react';
import { rewoundAtOf, snapshotStepsOf, useFolio } from '../../state/store';
import { commands } from '../app/commands';
import { useT } from '../app/useT';
import './rewind.css';

export function RewindControl() {
  const t = useT();
  useEffect(() => commands.rewind.watch(), []);
  const steps = useFolio(snapshotStepsOf);
  const at = useFolio(rewoundAtOf);
  const now = useFolio((s) => s.run.step);
  const list = useFolio((s) => (s.model && s.rewind.snapshots?.modelId === s.model.id ? s.rewind.snapshots : undefined));
  if (!list || steps.length === 0)
    return (
      <p className="muted small rewind-none" data-testid="rewind-none">
        {t.rewindNone}
      </p>
    );
  const index = at === undefined ? steps.length : Math.max(0, steps.indexOf(at));
  const text = at === undefined ? t.rewindNowText(now) : t.rewindAtText(at);
  return (
    <div className="rewind-row">
      <label className="rewind-slider">
        <span>{t.rewindLabel}</span>
        <input
          type="range"
          data-testid="rewind"
          data-step={at ?? now}
          data-now={at === undefined}
          data-steps={steps.join(',')}
          min={0}
          max={steps.length}
          step={1}
          value={index}
          aria-valuetext={text}
          title={t.rewindHint}
          onChange={(e) => {
            const i = Number(e.target.value);
            if (i >= steps.length) commands.rewind.rewindNow();
            else commands.rewind.rewindTo(steps[i]!);
          }}
        />
        <output className={at === undefined ? 'rewind-at' : 'rewind-at rewound'} data-testid="rewind-at">
          {text}
        </output>
      </label>
      <span className="muted small" data-testid="rewind-memory" data-bytes={list.bytes} data-count={steps.length}>
        {t.rewindMemory(steps.length, list.bytes, list.limit)}
      </span>
    </div>
  );
}
