/**
 * The token embeddings on a flat map (their two principal components, computed in the
 * worker): one labelled point per token, coloured by kind (vowel, consonant, digit, space
 * or punctuation), drifting as the model trains. Pure drawing: the data comes from the
 * inside store.
 */
import { memo } from 'react';
import type { EmbeddingPoint } from '../predict/embeddings';
import { useInside } from '../state/inside';
import { useFolio } from '../state/store';
import { useT } from './useT';

const W = 560;
const H = 380;
const PAD = 22;

const COLOURS = { vowel: '#c2410c', consonant: '#1f5fa8', digit: '#15803d', space: '#6b7280', other: '#7c3aed' } as const;

/** A colour per kind of token, so groups are easy to see. */
function kindColour(token: string): string {
  const t = token.toLowerCase();
  if (/^[aeiouáéíóúâêôãõà]$/u.test(t)) return COLOURS.vowel;
  if (/^\p{L}$/u.test(t)) return COLOURS.consonant;
  if (/^\p{N}+$/u.test(t)) return COLOURS.digit;
  if (/^[\s␣↵⇥␍\p{P}\p{S}]+$/u.test(t)) return COLOURS.space;
  return COLOURS.other; // longer tokens (words, BPE pieces)
}

const Points = memo(function Points({ points }: { points: EmbeddingPoint[] }) {
  // Scale so the farthest point sits at the edge; the centre of the map is the mean vector.
  const span = Math.max(1e-9, ...points.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y))));
  const sx = (W / 2 - PAD) / span;
  const sy = (H / 2 - PAD) / span;
  return (
    <>
      {points.map((p) => (
        <g
          key={p.id}
          data-testid="embedding-point"
          data-token={p.token}
          data-x={p.x.toFixed(4)}
          data-y={p.y.toFixed(4)}
          className="emb-point"
          style={{ transform: `translate(${W / 2 + p.x * sx}px, ${H / 2 - p.y * sy}px)` }}
        >
          <title>{`${p.token} (${p.count})`}</title>
          <circle r={3} fill={kindColour(p.token)} />
          <text x={5} y={4} fill={kindColour(p.token)}>
            {p.token}
          </text>
        </g>
      ))}
    </>
  );
});

export function EmbeddingMap() {
  const t = useT();
  const answer = useInside((s) => s.embeddings);
  const dims = useFolio((s) => s.model?.config.nEmbd ?? 0);
  if (!answer) return <p className="muted">{t.insideEmbNone}</p>;
  const { map, step } = answer;
  return (
    <figure className="emb-map">
      <p className="hint">{t.insideEmbHint(dims)}</p>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t.insideTabEmbeddings} data-testid="embedding-map" data-step={step}>
        <line x1={W / 2} y1={PAD / 2} x2={W / 2} y2={H - PAD / 2} className="emb-axis" />
        <line x1={PAD / 2} y1={H / 2} x2={W - PAD / 2} y2={H / 2} className="emb-axis" />
        <Points points={map.points} />
      </svg>
      <figcaption className="muted small">
        {t.insideEmbCaption(map.points.length, map.vocabSize, step, t.insidePct(map.explained[0] + map.explained[1]))} <span className="emb-legend">
          {t.insideEmbLegend.split(' · ').map((label, i) => (
            <span key={label} style={{ color: Object.values(COLOURS)[i] }}>
              ● {label}{' '}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}
