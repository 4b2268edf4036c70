/**
 * Let the model write: sampling settings, the text streaming in token by token, and
 * for each token its probability and the alternatives the model weighed.
 */
import { useState } from 'react';
import type { SampleConfig } from '../../config';
import type { GeneratedToken } from '../../predict/predictor';
import { commands } from '../app/commands';
import { rankedOf, useFolio, useGeneration } from '../../state/store';
import { visibleWhitespace } from '../../tokenizer/tokenizer';
import { useSay, useT } from '../app/useT';
import { Panel } from '../shared/Panel';

function Slider({
  label,
  value,
  min,
  max,
  step,
  onChange,
  disabled,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
  disabled?: boolean;
}) {
  const t = useT();
  return (
    <label className="slider">
      <span>
        {label}: <output>{t.num(value)}</output>
      </span>
      <input type="range" min={min} max={max} step={step} value={value} disabled={disabled} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}

function SampleControls() {
  const t = useT();
  const s = useFolio((st) => st.settings.sample);
  const set = (patch: Partial<SampleConfig>) => useFolio.get().setSettings({ sample: { ...s, ...patch } });
  return (
    <div className="sample-controls">
      <Slider label={t.temperature} value={s.temperature} min={0.1} max={2} step={0.1} onChange={(v) => set({ temperature: v })} disabled={s.greedy} />
      <Slider label={t.topK} value={s.topK} min={0} max={100} step={1} onChange={(v) => set({ topK: v })} disabled={s.greedy} />
      <Slider label={t.topP} value={s.topP} min={0.05} max={1} step={0.05} onChange={(v) => set({ topP: v })} disabled={s.greedy} />
      <Slider label={t.length} value={s.maxTokens} min={10} max={500} step={10} onChange={(v) => set({ maxTokens: v })} />
      <label>
        <input type="checkbox" data-testid="greedy" checked={s.greedy} onChange={(e) => set({ greedy: e.target.checked })} /> {t.greedy}
      </label>
      <p className="muted small">{s.greedy ? t.genGreedyExplain : t.genSampledExplain(s.temperature)}</p>
      {/* One line each, as temperature: what the cut-off does to the draw (moot when greedy). */}
      {!s.greedy && (
        <>
          <p className="muted small" data-testid="topk-explain">
            {t.topKExplain(s.topK)}
          </p>
          <p className="muted small" data-testid="topp-explain">
            {t.topPExplain(s.topP)}
          </p>
        </>
      )}
    </div>
  );
}

function Token({ tok, greedy, onShow }: { tok: GeneratedToken; greedy: boolean; onShow: (t: GeneratedToken | undefined) => void }) {
  // A token that was not the model's own first choice: sampling at work.
  const notTop = !greedy && tok.alternatives[0] !== undefined && tok.alternatives[0].id !== tok.id;
  return (
    <span className={`gen-tok${notTop ? ' not-top' : ''}`} tabIndex={0} onMouseEnter={() => onShow(tok)} onFocus={() => onShow(tok)} data-p={tok.p}>
      {tok.text}
    </span>
  );
}

/** The hovered token's probability and the alternatives the model weighed (below the text, never clipped). */
function TokenDetails({ tok }: { tok?: GeneratedToken }) {
  const t = useT();
  if (!tok) return <p className="muted small token-details">{t.tokenHover}</p>;
  return (
    <p className="small token-details" data-testid="token-details">
      <strong>“{visibleWhitespace(tok.text)}”</strong> {tok.token !== undefined && <span data-testid="token-kmer">{t.genKmerToken(tok.token)} </span>}
      {t.tokenTip(t.pct(tok.p))}{' '}
      {tok.alternatives.map((a) => (
        <span key={a.id} className={`alt${a.id === tok.id ? ' chosen' : ''}`}>
          {a.display} {t.pct(a.p)}
        </span>
      ))}
    </p>
  );
}

/** Tokens per second of the model's own time (each token's `ms`, measured in the worker). */
function GenerationRate({ tokens }: { tokens: GeneratedToken[] }) {
  const t = useT();
  const ms = tokens.reduce((s, tok) => s + (tok.ms ?? 0), 0);
  if (tokens.length < 2 || !(ms > 0)) return null;
  return (
    <p className="muted small" data-testid="gen-rate">
      {t.speedGenRate(t.num(Math.round((tokens.length * 1000) / ms)))}
    </p>
  );
}

function GeneratedText() {
  const t = useT();
  const say = useSay();
  const g = useGeneration();
  // The model reads only characters it has seen: the ranked words' answer for this prompt says which it skipped.
  const unknown = useFolio((s) => {
    const ranked = rankedOf(s);
    return s.generation && ranked?.prompt === s.generation.prompt ? ranked.result.unknown.join(' ') : '';
  });
  const kmer = useFolio((s) => s.model?.kmer);
  const [shown, setShown] = useState<GeneratedToken | undefined>();
  if (!g) return <p className="muted">{t.genEmpty}</p>;
  return (
    <>
      <div className="generated" aria-live="polite" onMouseLeave={() => setShown(undefined)}>
        <span className="gen-prompt">{g.prompt}</span>
        <span data-testid="generated-text" data-done={g.done} data-tokens={g.tokens.length}>
          {g.tokens.map((tok, i) => (
            <Token key={i} tok={tok} greedy={g.greedy} onShow={setShown} />
          ))}
        </span>
        {!g.done && <span className="cursor">▍</span>}
      </div>
      {g.error && <p className="error-inline">{say(g.error)}</p>}
      {unknown && (
        <p className="muted small" data-testid="gen-unknown">
          {t.unknownChars}: {unknown}
        </p>
      )}
      {kmer?.overlap && kmer.k > 1 && (
        <p className="muted small" data-testid="gen-kmer-note">
          {t.genKmerNote(kmer.k)}
        </p>
      )}
      <GenerationRate tokens={g.tokens} />
      <TokenDetails tok={shown} />
    </>
  );
}

export function GeneratePanel() {
  const t = useT();
  const ready = useFolio((s) => !!s.model && !s.busy);
  const g = useGeneration();
  const running = g !== undefined && !g.done;
  return (
    <Panel id="gen-h" className="generate" title={t.genTitle} hint={t.genHint}>
      <SampleControls />
      <div className="row">
        <button data-testid="generate" disabled={!ready || running} onClick={commands.generate.generate}>
          {running ? t.generating : t.generate}
        </button>
        <span className="muted">{t.genFrom}</span>
      </div>
      <GeneratedText />
    </Panel>
  );
}
