/**
 * What each token looks at: a heatmap per layer and head for the prompt, and the
 * article's two "bow" sentences side by side.
 */
import { useState } from 'react';
import { BOW_SENTENCES, useAttention, useFolio, type AttentionView } from '../../state/store';
import { useBow } from '../../state/bow';
import type { SentenceView } from '../../predict/bowView';
import { AttentionHeatmap } from './AttentionHeatmap';
import { useSay, useT } from '../app/useT';
import { Panel } from '../shared/Panel';

/** Head `head` of `layer`, or the mean of the layer's heads (head = -1): [query][key]. */
export function pickMap(view: AttentionView, layer: number, head: number): number[][] {
  const heads = view.maps[Math.min(layer, view.maps.length - 1)] ?? [];
  if (head >= 0) return heads[Math.min(head, heads.length - 1)] ?? [];
  const T = view.tokens.length;
  return Array.from({ length: T }, (_, q) => Array.from({ length: T }, (_, k) => heads.reduce((s, h) => s + (h[q]?.[k] ?? 0), 0) / Math.max(1, heads.length)));
}

/** One "bow" sentence as the bow model read it: the words shaded by how much the last "bow" looks at each, then what it says comes next. */
function BowSentence({ sentence, view, layer, head }: { sentence: string; view?: SentenceView; layer: number; head: number }) {
  const t = useT();
  const say = useSay();
  const failed = useBow((s) => s.failed);
  if (!view) return <p className="muted">{failed ? `${t.bowFailed} ${say(failed)}` : t.bowLoading}</p>;
  const attn: AttentionView = { tokens: view.tokens, maps: view.maps };
  const map = pickMap(attn, layer, head);
  const row = map[map.length - 1] ?? [];
  const seen = view.tokens.map((tok) => tok.replace(/␣/g, ' ').replace(/↵/g, '\n'));
  const text = seen.join('');
  // The model reads at most its context: show what fell off the front, greyed.
  const cut = sentence.endsWith(text) ? sentence.slice(0, sentence.length - text.length) : '';
  const readsBow = /bow$/i.test(text);
  const words = view.prediction.words.filter((w) => w.word !== '<unk>').slice(0, 5);
  return (
    <>
      <p className="bow-sentence" data-testid="bow-attention">
        {cut && <span className="bow-cut">{cut}</span>}
        {seen.map((tok, k) => {
          // Absolute shading (√weight, as the heatmap): even attention over 30 tokens looks pale, not solid.
          const a = Math.sqrt(row[k] ?? 0);
          return (
            <span
              key={k}
              className={k === seen.length - 1 ? 'bow-query' : undefined}
              data-weight={row[k] ?? 0}
              style={{ background: `rgba(194, 65, 12, ${a})`, color: a > 0.6 ? '#fff' : undefined }}
              title={t.attnCell(view.tokens[view.tokens.length - 1] ?? '', view.tokens[k] ?? '', t.pct(row[k] ?? 0))}
            >
              {tok}
            </span>
          );
        })}
      </p>
      {!readsBow && <p className="muted small">{t.bowMissing}</p>}
      <p className="bow-next" data-testid="bow-next">
        <span className="muted small">{t.bowNext}: </span>
        {words.map((w) => (
          <span key={w.word} className="bow-word" data-testid="bow-word" data-word={w.word} data-prob={w.p}>
            {w.word} <span className="muted">{t.pct(w.p)}</span>
          </span>
        ))}
      </p>
      <p className="bow-next">
        <span className="muted small">{t.bowGoesOn}: </span>
        <span className="bow-continuation" data-testid="bow-continuation">
          …bow{view.continuation}
        </span>
      </p>
    </>
  );
}

/** Pick one of `count` (shown 1-based), or "all" (-1) when `all` names it. */
function IndexSelect({
  label,
  testId,
  count,
  value,
  onChange,
  all,
}: {
  label: string;
  testId: string;
  count: number;
  value: number;
  onChange: (v: number) => void;
  all?: string;
}) {
  return (
    <label className="inline-field">
      {label}{' '}
      <select data-testid={testId} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {all !== undefined && <option value={-1}>{all}</option>}
        {Array.from({ length: count }, (_, i) => (
          <option key={i} value={i}>
            {i + 1}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AttentionPanel() {
  const t = useT();
  const attention = useAttention();
  const bow = useBow((s) => s.views);
  const nLayer = useFolio((s) => s.model?.config.nLayer ?? 1);
  const nHead = useFolio((s) => s.model?.config.nHead ?? 1);
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(-1);
  const l = Math.min(layer, nLayer - 1);
  const h = Math.min(head, nHead - 1);
  return (
    <Panel id="attn-h" className="attention" title={t.attnTitle} hint={t.attnHint}>
      <div className="row wrap">
        <IndexSelect label={t.layer} testId="attn-layer" count={nLayer} value={l} onChange={setLayer} />
        <IndexSelect label={t.head} testId="attn-head" count={nHead} value={h} onChange={setHead} all={t.allHeads} />
        <span className="muted">{t.attnFor}</span>
      </div>
      {attention ? <AttentionHeatmap tokens={attention.view.tokens} map={pickMap(attention.view, l, h)} /> : <p className="muted">{t.attnNone}</p>}
      <h3>{t.bowTitle}</h3>
      <p className="hint">{t.bowModelHint}</p>
      <div className="bow-pair">
        <figure>
          <figcaption className="muted small">{BOW_SENTENCES.bowShow}…</figcaption>
          <BowSentence sentence={BOW_SENTENCES.bowShow} view={bow?.[0]} layer={l} head={h} />
        </figure>
        <figure>
          <figcaption className="muted small">{BOW_SENTENCES.bowTarget}…</figcaption>
          <BowSentence sentence={BOW_SENTENCES.bowTarget} view={bow?.[1]} layer={l} head={h} />
        </figure>
      </div>
    </Panel>
  );
}
