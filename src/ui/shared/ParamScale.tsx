/**
 * Where this model sits between the article's two references: a straight line
 * (2 parameters: slope and intercept) and GPT-3 (175 billion). A log scale, because
 * the span is eleven orders of magnitude.
 */
import { useEffect, useRef, useState } from 'react';
import { useT } from '../app/useT';

const LO = 1;
const HI = 1e12;
const WIDE = 560;
const PAD = 12;
/** Below this many pixels the marks' labels go under the ruler as text, so none is drawn smaller than 11 px. */
const NARROW = 480;

/** The ruler's mapping: parameter count → position, log scale from `lo` to `hi` over [left, right] (the size sweep zooms it). */
export function logRuler(lo: number, hi: number, left: number, right: number): (n: number) => number {
  return (n) => left + ((Math.log10(Math.max(lo, n)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (right - left);
}

/** The figure's width in CSS pixels (the viewBox follows it, so text keeps its size on a phone). */
function useWidth(): [React.RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(WIDE);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(Math.round(el.clientWidth) || WIDE));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, Math.min(640, Math.max(240, width))];
}

/** 1 k, 2.5 M, 175 B: one decimal only below ten, none when it would be ".0". */
export function human(n: number, num: (x: number) => string = String): string {
  for (const [v, u] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (n >= v) return `${num(Number((n / v).toFixed(n >= 10 * v ? 0 : 1)))} ${u}`;
  }
  return num(n);
}

/** `guest`: a pretrained model loaded beside this one (GPT-2 from the Hub), marked where it sits. */
export function ParamScale({ params, draft, guest }: { params?: number; draft?: number; guest?: { params: number; label: string } }) {
  const t = useT();
  const [ref, W] = useWidth();
  const narrow = W < NARROW;
  const H = narrow ? 52 : 64;
  const x = logRuler(LO, HI, PAD, W - PAD);
  const marks = [
    { n: 2, label: t.scaleLinear, anchor: 'start' as const },
    { n: 124e6, label: t.scaleGpt2, anchor: 'middle' as const, above: true },
    { n: 175e9, label: t.scaleGpt3, anchor: 'end' as const },
  ];
  // The one label that stays above the ruler: this model's, kept inside the figure.
  const folioX = params === undefined ? 0 : Math.min(W - 70, Math.max(70, x(params)));
  return (
    <figure className="param-scale" ref={ref} data-narrow={narrow || undefined}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${t.scaleTitle}: ${params ? human(params, t.num) : '–'}`}>
        <line x1={PAD} x2={W - PAD} y1={30} y2={30} stroke="#888" />
        {Array.from({ length: 13 }, (_, i) => (
          <g key={i}>
            <line x1={x(10 ** i)} x2={x(10 ** i)} y1={26} y2={34} stroke="#888" />
            {i % 3 === 0 && (
              <text x={x(10 ** i)} y={48} fontSize={12} textAnchor={i === 0 ? 'start' : i === 12 ? 'end' : 'middle'} fill="#555">
                {human(10 ** i, t.num)}
              </text>
            )}
          </g>
        ))}
        {marks.map((m) => (
          <g key={m.n}>
            <circle cx={x(m.n)} cy={30} r={4} fill="#6b7280" />
            {!narrow && (
              <text
                x={x(m.n) + (m.anchor === 'start' ? -4 : m.anchor === 'end' ? 4 : 0)}
                y={'above' in m ? 16 : 62}
                fontSize={11}
                textAnchor={m.anchor}
                fill="#374151"
              >
                {m.label}
              </text>
            )}
          </g>
        ))}
        {guest && (
          <g data-testid="param-scale-guest" data-params={guest.params}>
            <circle cx={x(guest.params)} cy={30} r={7} fill="none" stroke="#15803d" strokeWidth={3} />
            <text x={Math.min(W - 60, x(guest.params))} y={62} fontSize={11} textAnchor="middle" fill="#15803d" fontWeight="bold">
              {guest.label}
            </text>
          </g>
        )}
        {draft !== undefined && <circle cx={x(draft)} cy={30} r={6} fill="none" stroke="#c2410c" strokeWidth={2} strokeDasharray="2 2" />}
        {params !== undefined && (
          <g>
            <circle cx={x(params)} cy={30} r={7} fill="#1f5fa8" />
            <text x={narrow ? folioX : x(params)} y={14} fontSize={12} textAnchor="middle" fill="#1f5fa8" fontWeight="bold">
              {t.scaleFolio}: {human(params, t.num)}
            </text>
          </g>
        )}
      </svg>
      {narrow && (
        <figcaption className="muted small" data-testid="param-scale-marks">
          {marks.map((m) => m.label).join(' · ')}
        </figcaption>
      )}
    </figure>
  );
}
