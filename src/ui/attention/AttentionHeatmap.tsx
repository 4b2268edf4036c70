/**
 * A T×T attention map on a canvas (a long prompt would be thousands of DOM cells):
 * row = the token reading, column = the token it looks at. Hover or focus shows the
 * exact weight.
 */
import { useEffect, useRef, useState } from 'react';
import { visibleWhitespace } from '../../tokenizer/tokenizer';
import { useT } from '../app/useT';

const LABEL = 34;
const MAX_SIDE = 440;

export function AttentionHeatmap({ tokens, map }: { tokens: string[]; map: number[][] }) {
  const t = useT();
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ q: number; k: number } | undefined>();
  const T = tokens.length;
  const cell = Math.max(6, Math.min(20, Math.floor((MAX_SIDE - LABEL) / Math.max(1, T))));
  const side = LABEL + cell * T;
  const labels = tokens.map((s) => visibleWhitespace(s));
  useEffect(() => {
    const c = ref.current;
    // A software canvas: a few hundred cells draw in well under a millisecond on the CPU,
    // while a GPU-backed one waits on the GPU process (SwiftShader here is the CPU too,
    // busy with training), which held the main thread for 0.3–2 s after a redraw.
    const ctx = c?.getContext('2d', { willReadFrequently: true });
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = side * dpr;
    c.height = side * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, side, side);
    ctx.font = `${Math.min(12, cell)}px ui-monospace, monospace`;
    ctx.fillStyle = '#374151';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const short = (s: string) => (s.length > 4 ? s.slice(0, 3) + '…' : s);
    if (cell >= 9) {
      // Labels longer than a character (words, DNA k-mers) stand upright on top, so neighbours do not overlap.
      const upright = labels.some((s) => [...s].length > 1);
      labels.forEach((s, i) => {
        if (upright) {
          ctx.save();
          ctx.translate(LABEL + i * cell + cell / 2, LABEL / 2);
          ctx.rotate(-Math.PI / 2);
          ctx.fillText(short(s), 0, 0); // keys, on top
          ctx.restore();
        } else ctx.fillText(short(s), LABEL + i * cell + cell / 2, LABEL / 2); // keys, on top
        ctx.fillText(short(s), LABEL / 2, LABEL + i * cell + cell / 2); // queries, on the left
      });
    }
    for (let q = 0; q < T; q++) {
      for (let k = 0; k < T; k++) {
        const w = map[q]?.[k] ?? 0;
        // Future positions are masked (weight 0): draw them hatched-light, not white.
        ctx.fillStyle = k > q ? '#f3f4f6' : `rgba(31, 95, 168, ${Math.sqrt(w)})`;
        ctx.fillRect(LABEL + k * cell, LABEL + q * cell, cell - 1, cell - 1);
      }
    }
    if (hover) {
      ctx.strokeStyle = '#c2410c';
      ctx.lineWidth = 2;
      ctx.strokeRect(LABEL + hover.k * cell, LABEL + hover.q * cell, cell - 1, cell - 1);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- redrawn when the labels' text changes, not each new array of the same labels
  }, [labels.join('\u0000'), map, T, cell, side, hover]);
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    // On a narrow screen the canvas is drawn smaller than `side` (CSS max-width): scale back.
    const scale = r.width > 0 ? side / r.width : 1;
    const k = Math.floor(((e.clientX - r.left) * scale - LABEL) / cell);
    const q = Math.floor(((e.clientY - r.top) * scale - LABEL) / cell);
    setHover(q >= 0 && k >= 0 && q < T && k < T ? { q, k } : undefined);
  };
  // Keyboard: arrows move the highlighted cell (starting at the last row's diagonal).
  const onKey = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d || T === 0) return;
    e.preventDefault();
    const cur = hover ?? { q: T - 1, k: T - 1 };
    const clamp = (v: number) => Math.max(0, Math.min(T - 1, v));
    setHover({ q: clamp(cur.q + d[0]!), k: clamp(cur.k + d[1]!) });
  };
  const w = hover ? (map[hover.q]?.[hover.k] ?? 0) : undefined;
  // Above the diagonal a token would look at a later one: causal attention forbids it, so
  // the cell has no weight to report (it is not a measured "0 %").
  const caption =
    !hover || w === undefined
      ? '\u00a0'
      : hover.k > hover.q
        ? t.attnFuture(labels[hover.q]!, labels[hover.k]!)
        : t.attnCell(labels[hover.q]!, labels[hover.k]!, t.pct(w));
  return (
    <figure className="heatmap">
      <canvas
        ref={ref}
        data-testid="attention-heatmap"
        data-tokens={T}
        style={{ width: side, maxWidth: '100%', aspectRatio: '1 / 1', height: 'auto' }}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(undefined)}
        onKeyDown={onKey}
        onBlur={() => setHover(undefined)}
        tabIndex={0}
        role="img"
        aria-label={t.attnMapLabel(T)}
      />
      <figcaption className="muted small" aria-live="polite" data-testid="attention-cell">
        {caption}
      </figcaption>
    </figure>
  );
}
