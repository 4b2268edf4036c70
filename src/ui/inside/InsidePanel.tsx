/**
 * "Inside the model": three views in tabs — the token embeddings on a map, the logit lens,
 * one step of backpropagation. The open view keeps itself up to date while the model
 * trains (state/inside.ts asks the worker); the others ask nothing.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { commands } from '../app/commands';
import { INSIDE_TABS, useInside, type InsideTab } from '../../state/inside';
import { BackpropStep } from './BackpropStep';
import { EmbeddingMap } from './EmbeddingMap';
import { LogitLens } from './LogitLens';
import { useSay, useT } from '../app/useT';
import { rewoundAtOf, useFolio } from '../../state/store';
import { Panel } from '../shared/Panel';

/** While the page is rewound (issue 27): one inspected step works on the model now, and says so. */
function BackpropNowNote() {
  const t = useT();
  const rewound = useFolio(rewoundAtOf) !== undefined;
  const now = useFolio((s) => s.run.step);
  return rewound ? <p className="note small">{t.rewindBackpropNow(now)}</p> : null;
}

export function InsidePanel() {
  const t = useT();
  const say = useSay();
  const tab = useInside((s) => s.tab);
  const error = useInside((s) => s.error);
  const section = useRef<HTMLElement>(null);
  useEffect(() => commands.inside.watchInside(), []);
  useEffect(() => {
    // Off screen, the views ask the worker for nothing.
    if (!section.current) return;
    if (typeof IntersectionObserver === 'undefined') return commands.inside.insideVisible(true);
    const seen = new IntersectionObserver((entries) => commands.inside.insideVisible(entries.some((e) => e.isIntersecting)));
    seen.observe(section.current);
    return () => seen.disconnect();
  }, []);
  const label: Record<InsideTab, string> = { embeddings: t.insideTabEmbeddings, lens: t.insideTabLens, backprop: t.insideTabBackprop };
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onKey = (e: KeyboardEvent) => {
    const i = INSIDE_TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight'
        ? INSIDE_TABS[(i + 1) % INSIDE_TABS.length]
        : e.key === 'ArrowLeft'
          ? INSIDE_TABS[(i + INSIDE_TABS.length - 1) % INSIDE_TABS.length]
          : undefined;
    if (!next) return;
    e.preventDefault();
    commands.inside.insideTab(next);
    document.getElementById(`inside-tab-${next}`)?.focus();
  };
  return (
    <Panel id="inside-h" className="inside" testId="inside-panel" ref={section} title={t.insideTitle} hint={t.insideHint}>
      <div role="tablist" className="inside-tabs" aria-labelledby="inside-h" onKeyDown={onKey}>
        {INSIDE_TABS.map((k) => (
          <button
            key={k}
            id={`inside-tab-${k}`}
            role="tab"
            data-testid={`inside-tab-${k}`}
            aria-selected={tab === k}
            aria-controls="inside-view"
            tabIndex={tab === k ? 0 : -1}
            className={tab === k ? 'chip' : 'chip secondary'}
            onClick={() => commands.inside.insideTab(k)}
          >
            {label[k]}
          </button>
        ))}
      </div>
      {error && <p className="error-inline">{say(error)}</p>}
      {tab === 'backprop' && <BackpropNowNote />}
      <div id="inside-view" role="tabpanel" aria-labelledby={`inside-tab-${tab}`}>
        {tab === 'embeddings' ? <EmbeddingMap /> : tab === 'lens' ? <LogitLens /> : <BackpropStep />}
      </div>
    </Panel>
  );
}
