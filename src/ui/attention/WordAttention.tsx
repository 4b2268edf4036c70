/**
 * Attention word by word (issue 27): the token map summed into words (predict/wordAttention.ts)
 * as a heatmap, and one word's row as the sentence itself, each word shaded by how much the
 * chosen word looks at it. Press a word to read from it (the last word is chosen first).
 */
import { useState } from 'react';
import { groupWords, wordMap } from '../../predict/wordAttention';
import type { AttentionView } from '../../state/store';
import { AttentionHeatmap } from './AttentionHeatmap';
import { useT } from '../app/useT';

/** Shading on an absolute scale (√weight, as the heatmap): even attention over ten words looks pale, not solid. */
export const shade = (w: number) => ({ background: `rgba(194, 65, 12, ${Math.sqrt(Math.max(0, w))})`, color: w > 0.36 ? '#fff' : undefined });

export function WordAttention({ view, map }: { view: AttentionView; map: number[][] }) {
  const t = useT();
  const groups = groupWords(view.tokens);
  const words = wordMap(map, groups);
  const [chosen, setChosen] = useState<number | undefined>();
  const last = groups.words.length - 1;
  const q = chosen !== undefined && chosen <= last ? chosen : last;
  const row = words[q] ?? [];
  return (
    <>
      <AttentionHeatmap tokens={groups.words} map={words} />
      <p className="small">{t.attnWordsRow(groups.words[q] ?? '')}</p>
      <p className="attn-words" data-testid="attn-words" data-query={q} data-words={groups.words.length}>
        {groups.words.map((w, k) => (
          <button
            key={k}
            className={k === q ? 'attn-word query' : k > q ? 'attn-word later' : 'attn-word'}
            data-testid="attn-word"
            data-word={w}
            data-weight={row[k] ?? 0}
            aria-pressed={k === q}
            title={t.attnWordButton(w, t.pct(row[k] ?? 0))}
            style={k <= q ? shade(row[k] ?? 0) : undefined}
            onClick={() => setChosen(k)}
          >
            {w}
          </button>
        ))}
      </p>
      <p className="hint">{t.attnWordsHint}</p>
    </>
  );
}
