/** Lays out the panels; reads the URL once to start the session. */
import { useEffect, useRef } from 'react';
import { isModelPreset, MODEL_PRESETS } from './config';
import { isBundledCorpus } from './corpora';
import { BACKEND_SETTING, storedSetting } from './settings';
import { startSession } from './state/bridge';
import { actions, useFolio } from './state/store';
import { isBackendName } from './train/backend';
import { isTokenizerKind } from './tokenizer';
import { BackendBadge } from './ui/BackendBadge';
import { NextWordsPanel } from './ui/NextWordsPanel';
import { TrainingPanel } from './ui/TrainingPanel';

function optionsFromUrl() {
  const q = new URLSearchParams(location.search);
  const steps = Number(q.get('steps'));
  const tokenizer = q.get('tokenizer') ?? '';
  const preset = q.get('preset') ?? '';
  // The URL wins over the remembered setting, so a shared link shows what its sender saw.
  const backend = q.get('backend') ?? storedSetting(BACKEND_SETTING);
  const corpus = q.get('corpus');
  const prompt = q.get('prompt');
  return {
    backend: isBackendName(backend) ? backend : ('auto' as const),
    preset: isModelPreset(preset) ? preset : ('nano' as const),
    corpus: isBundledCorpus(corpus) ? corpus : ('shakespeare' as const),
    tokenizer: isTokenizerKind(tokenizer) ? tokenizer : ('char' as const),
    steps: Number.isInteger(steps) && steps > 0 ? steps : 2000,
    prompt,
  };
}

function ErrorBanner() {
  const error = useFolio((s) => s.error);
  if (!error) return null;
  return (
    <p role="alert" className="error" data-testid="error">
      {error.message}
    </p>
  );
}

export function App() {
  const model = useFolio((s) => s.model);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice in development
    started.current = true;
    const o = optionsFromUrl();
    if (o.prompt) actions.setPrompt(o.prompt);
    void startSession(o);
  }, []);
  return (
    <>
      <header>
        <h1>Folio</h1>
        <span className="tagline">a tiny language model that learns in your browser</span>
        <BackendBadge />
      </header>
      <ErrorBanner />
      <main>
        <section className="panel">
          <h2>Model</h2>
          {model ? (
            <p>
              <span data-testid="param-count">{model.paramCount.toLocaleString('en')}</span> parameters · vocabulary{' '}
              <span data-testid="vocab-size">{model.vocabSize}</span> ({model.tokenizer}) · corpus <span data-testid="corpus-name">{model.corpusName}</span> ·{' '}
              {model.config.nLayer} layer{model.config.nLayer === 1 ? "" : "s"} × {model.config.nHead} head{model.config.nHead === 1 ? "" : "s"} × {model.config.nEmbd} wide, context {model.config.blockSize}
            </p>
          ) : (
            <p>Preparing the model… (presets: {Object.keys(MODEL_PRESETS).join(', ')})</p>
          )}
        </section>
        <NextWordsPanel />
        <TrainingPanel />
      </main>
    </>
  );
}
