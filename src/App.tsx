/** Lays out the panels; applies the URL once, then keeps it in step with the settings. */
import { useEffect, useRef } from 'react';
import { isLang, isModelPreset } from './config';
import { isBundledCorpus } from './state/corpora';
import { BACKEND_SETTING, storedSetting } from './state/settings';
import { startSession } from './state/bridge';
import { actions, DEFAULT_PROMPT, defaultSettings, useFolio, type Settings } from './state/store';
import { isBackendName } from './worker/protocol';
import { isTokenizerKind } from './tokenizer';
import { AttentionPanel } from './ui/AttentionPanel';
import { BackendBadge } from './ui/BackendBadge';
import { ConfirmDialog } from './ui/ConfirmDialog';
import { CorpusPanel } from './ui/CorpusPanel';
import { GeneratePanel } from './ui/GeneratePanel';
import { useT } from './ui/i18n';
import { LanguageToggle } from './ui/LanguageToggle';
import { ModelPanel } from './ui/ModelPanel';
import { ResumeBanner } from './ui/ResumeBanner';
import { NextWordsPanel } from './ui/NextWordsPanel';
import { TrainingPanel } from './ui/TrainingPanel';

/** URL parameters win over remembered settings, so a shared link shows what its sender saw. */
function applyUrl(): { backend: ReturnType<typeof backendChoice> } {
  const q = new URLSearchParams(location.search);
  const patch: Partial<Settings> = {};
  const preset = q.get('preset');
  if (preset && (isModelPreset(preset) || preset === 'custom')) patch.preset = preset;
  const corpus = q.get('corpus');
  if (isBundledCorpus(corpus)) patch.corpus = corpus;
  const tokenizer = q.get('tokenizer') ?? '';
  if (isTokenizerKind(tokenizer)) patch.tokenizer = tokenizer;
  const steps = Number(q.get('steps'));
  if (Number.isInteger(steps) && steps > 0) patch.steps = steps;
  const lr = Number(q.get('lr'));
  if (q.has('lr') && lr > 0 && Number.isFinite(lr)) patch.lr = lr;
  const lang = q.get('lang');
  if (isLang(lang)) patch.lang = lang;
  // A remembered setting that no longer exists (an old page's) falls back to the default.
  const s = useFolio.getState().settings;
  if (!isBundledCorpus(s.corpus)) patch.corpus ??= defaultSettings.corpus;
  if (!isTokenizerKind(s.tokenizer)) patch.tokenizer ??= defaultSettings.tokenizer;
  if (s.preset !== 'custom' && !isModelPreset(s.preset)) patch.preset ??= defaultSettings.preset;
  actions.setSettings(patch);
  const prompt = q.get('prompt');
  if (prompt !== null) actions.setPrompt(prompt);
  return { backend: backendChoice(q.get('backend') ?? storedSetting(BACKEND_SETTING)) };
}

function backendChoice(b: string | null) {
  return isBackendName(b) ? b : ('auto' as const);
}

/** Keep the address bar shareable: the settings that differ from the defaults. */
function syncUrl(): void {
  const { settings: s, prompt } = useFolio.getState();
  const q = new URLSearchParams(location.search);
  const put = (k: string, v: string, def: string) => (v === def ? q.delete(k) : q.set(k, v));
  put('preset', s.preset, defaultSettings.preset);
  put('corpus', s.corpus, defaultSettings.corpus);
  put('tokenizer', s.tokenizer, defaultSettings.tokenizer);
  put('steps', String(s.steps), String(defaultSettings.steps));
  put('prompt', prompt, DEFAULT_PROMPT);
  const next = q.toString();
  if (next !== location.search.slice(1)) history.replaceState(null, '', next ? `?${next}` : location.pathname);
}

function ErrorBanner() {
  const t = useT();
  const error = useFolio((s) => s.error);
  if (!error) return null;
  return (
    <div role="alert" className="error" data-testid="error">
      <span>{error.message}</span>
      {error.action && (
        <button
          data-testid="error-action"
          onClick={() => {
            actions.clearError();
            error.action!.run();
          }}
        >
          {error.action.label}
        </button>
      )}
      <button className="secondary" onClick={actions.clearError}>
        {t.dismiss}
      </button>
    </div>
  );
}

export function App() {
  const t = useT();
  const lang = useFolio((s) => s.settings.lang);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice in development
    started.current = true;
    void startSession(applyUrl());
  }, []);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useFolio.subscribe((s, prev) => {
      if (s.settings === prev.settings && s.prompt === prev.prompt) return;
      clearTimeout(timer);
      timer = setTimeout(syncUrl, 300);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'pt' ? 'pt-BR' : 'en';
  }, [lang]);
  return (
    <>
      <header>
        <h1>Folio</h1>
        <span className="tagline">{t.tagline}</span>
        <BackendBadge />
        <LanguageToggle />
      </header>
      <ErrorBanner />
      <ResumeBanner />
      <main>
        <NextWordsPanel />
        <TrainingPanel />
        <CorpusPanel />
        <ModelPanel />
        <GeneratePanel />
        <AttentionPanel />
      </main>
      <ConfirmDialog />
    </>
  );
}
