/**
 * What each token looks at: a heatmap per layer and head for the prompt, or for a sentence
 * the person types (bank, bat, light…), read by their own model — now, or as it was at the
 * step the page is rewound to (issue 27) — token by token or word by word; and two
 * sentences with the same word in two meanings, read by the bundled bow model (BowPair.tsx).
 */
import { useEffect, useState } from 'react';
import { attentionTextOf, useAttentionText } from '../../state/attentionText';
import { rewoundAtOf, useAttention, useFolio, useRewound, type AttentionView } from '../../state/store';
import { commands } from '../app/commands';
import { AttentionHeatmap } from './AttentionHeatmap';
import { BowPair } from './BowPair';
import { pickMap } from './pickMap';
import { WordAttention } from './WordAttention';
import { useT } from '../app/useT';
import { Panel } from '../shared/Panel';

export { pickMap };

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

/**
 * The map on show for `text`: the rewound snapshot's while rewound, the live model's of the
 * typed sentence, or the live model's of the prompt — each only when it answers that text.
 */
function useShownAttention(text: string): { view: AttentionView; step: number; rewound: boolean } | undefined {
  const at = useFolio(rewoundAtOf);
  const rewound = useRewound('attention');
  const prompt = useAttention();
  const typed = useAttentionText((s) => s.typed);
  const liveId = useFolio((s) => s.model?.id);
  const step = useFolio((s) => s.run.step);
  if (at !== undefined) return rewound && rewound.prompt === text ? { view: rewound.view, step: rewound.step, rewound: true } : undefined;
  if (typed && typed.modelId === liveId && typed.text === text) return { view: typed.view, step, rewound: false };
  if (prompt && prompt.prompt === text) return { view: prompt.view, step, rewound: false };
  return undefined;
}

export function AttentionPanel() {
  const t = useT();
  useEffect(() => commands.attention.watch(), []);
  const sentence = useAttentionText((s) => s.sentence);
  const level = useAttentionText((s) => s.level);
  const prompt = useFolio((s) => s.prompt);
  const dna = useFolio((s) => s.model?.tokenizer === 'kmer');
  const nLayer = useFolio((s) => s.model?.config.nLayer ?? 1);
  const nHead = useFolio((s) => s.model?.config.nHead ?? 1);
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(-1);
  const l = Math.min(layer, nLayer - 1);
  const h = Math.min(head, nHead - 1);
  const text = attentionTextOf(sentence, prompt);
  const shown = useShownAttention(text);
  const words = level === 'words' && !dna;
  return (
    <Panel id="attn-h" className="attention" title={t.attnTitle} hint={t.attnHint}>
      <label className="attn-sentence">
        {t.attnSentence}{' '}
        <input
          data-testid="attn-sentence"
          value={sentence}
          placeholder={t.attnSentencePlaceholder}
          spellCheck={false}
          onChange={(e) => commands.attention.setSentence(e.target.value)}
        />
      </label>
      <div className="row wrap">
        <IndexSelect label={t.layer} testId="attn-layer" count={nLayer} value={l} onChange={setLayer} />
        <IndexSelect label={t.head} testId="attn-head" count={nHead} value={h} onChange={setHead} all={t.allHeads} />
        <span role="radiogroup" aria-label={t.attnLevel} className="inline-field">
          {t.attnLevel}{' '}
          {(['tokens', 'words'] as const).map((v) => (
            <label key={v}>
              <input
                type="radio"
                name="attn-level"
                data-testid={`attn-level-${v}`}
                checked={level === v}
                disabled={v === 'words' && dna}
                onChange={() => commands.attention.setLevel(v)}
              />{' '}
              {v === 'words' ? t.attnLevelWords : t.attnLevelTokens}
            </label>
          ))}
        </span>
      </div>
      {level === 'words' && dna && <p className="muted small">{t.attnWordsDna}</p>}
      {shown ? (
        <div data-testid="attention-view" data-level={words ? 'words' : 'tokens'} data-text={text} data-step={shown.step} data-rewound={shown.rewound}>
          <p className={shown.rewound ? 'muted small rewound' : 'muted small'} data-testid="attn-by">
            {!sentence.trim() && `${t.attnFor} · `}
            {shown.rewound ? t.attnByRewound(shown.step) : t.attnByLive(shown.step)}
          </p>
          {words ? (
            <WordAttention view={shown.view} map={pickMap(shown.view, l, h)} />
          ) : (
            <AttentionHeatmap tokens={shown.view.tokens} map={pickMap(shown.view, l, h)} />
          )}
        </div>
      ) : (
        <p className="muted">{t.attnNone}</p>
      )}
      <BowPair layer={l} head={h} level={words ? 'words' : 'tokens'} />
    </Panel>
  );
}
