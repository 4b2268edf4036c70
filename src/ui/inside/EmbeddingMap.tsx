/**
 * The token embeddings on a flat map (their two principal components, computed in the
 * worker): one labelled point per token, coloured by kind (vowel, consonant, digit, space
 * or punctuation; a DNA model's k-mers by their first base), drifting as the model trains. Pure drawing: the data comes from the
 * inside store, or — while the page is rewound (issue 27) — from the snapshot on show.
 */
import { memo } from 'react';
import type { EmbeddingPoint } from '../../predict/embeddings';
import { DNA_GROUPS, isDnaVocab, TEXT_GROUPS, tokenGroup, type TokenGroup } from '../../predict/tokenGroups';
import { insideOf, useInside } from '../../state/inside';
import { rewoundAtOf, useFolio, useRewound } from '../../state/store';
import { useT } from '../app/useT';

const W = 560;
const H = 380;
const PAD = 22;

const COLOURS: Record<TokenGroup, string> = {
  vowel: '#c2410c',
  consonant: '#1f5fa8',
  digit: '#15803d',
  space: '#6b7280',
  other: '#7c3aed',
  A: '#15803d',
  C: '#1f5fa8',
  G: '#c2410c',
  T: '#b45309',
};

const Points = memo(function Points({ points, dna }: { points: EmbeddingPoint[]; dna: boolean }) {
  const colour = (token: string) => COLOURS[tokenGroup(token, dna)];
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
          <circle r={3} fill={colour(p.token)} />
          <text x={5} y={4} fill={colour(p.token)}>
            {p.token}
          </text>
        </g>
      ))}
    </>
  );
});

export function EmbeddingMap() {
  const t = useT();
  const liveId = useFolio((s) => s.model?.id);
  const live = useInside((s) => insideOf(s, liveId).embeddings);
  const rewound = useRewound('embeddings');
  const at = useFolio(rewoundAtOf);
  // Rewound: the snapshot's map (the newest asked, which says its step), never the live one's.
  const answer = at === undefined ? live : rewound;
  const dims = useFolio((s) => s.model?.config.nEmbd ?? 0);
  if (!answer) return <p className="muted">{t.insideEmbNone}</p>;
  const { map, step } = answer;
  // A DNA model's tokens are k-mers (or bases): coloured by their first base, not as letters.
  const dna = isDnaVocab(map.points.map((p) => p.token));
  const groups = dna ? DNA_GROUPS.slice(0, 4) : TEXT_GROUPS;
  const labels = (dna ? t.dnaEmbLegend : t.insideEmbLegend).split(' · ');
  return (
    <figure className="emb-map">
      <p className="hint">{dna ? t.dnaEmbHint(dims) : t.insideEmbHint(dims)}</p>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t.insideTabEmbeddings} data-testid="embedding-map" data-step={step}>
        <line x1={W / 2} y1={PAD / 2} x2={W / 2} y2={H - PAD / 2} className="emb-axis" />
        <line x1={PAD / 2} y1={H / 2} x2={W - PAD / 2} y2={H / 2} className="emb-axis" />
        <Points points={map.points} dna={dna} />
      </svg>
      <figcaption className="muted small">
        {t.insideEmbCaption(map.points.length, map.vocabSize, step, t.insidePct(map.explained[0] + map.explained[1]))}{' '}
        <span className="emb-legend" data-testid="emb-legend">
          {labels.map((label, i) => (
            <span key={label} style={{ color: COLOURS[groups[i] ?? 'other'] }}>
              ● {label}{' '}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}
