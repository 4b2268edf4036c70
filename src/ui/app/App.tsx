/** Lays out the panels; applies the URL once, then keeps it in step with the settings. */
import { useEffect, useRef } from 'react';
import { fitStartToCorpus } from '../../state/dna';
import { BACKEND_SETTING, storedSetting } from '../../state/settings';
import { useFolio } from '../../state/store';
import { readUrl, startSettings, writeUrl } from '../../state/urlState';
import { runsActions } from '../../state/runs';
import { decodeShared, SHARE_PARAM } from '../../state/runShare';
import { isBackendName, type BackendName } from '../../worker/protocol';
import { commands } from './commands';
import { AttentionPanel } from '../attention/AttentionPanel';
import { BackendBadge } from './BackendBadge';
import { OfflineStatus } from '../offline/OfflineStatus';
import { ConfirmDialog } from './ConfirmDialog';
import { CorpusPanel } from '../corpus/CorpusPanel';
import { FineTunePanel } from '../fineTune/FineTunePanel';
import { GeneratePanel } from '../generate/GeneratePanel';
import { HubPanel } from '../hub/HubPanel';
import { InsidePanel } from '../inside/InsidePanel';
import { useSay, useT } from './useT';
import { isInline } from '../shared/InlineError';
import { LanguageToggle } from './LanguageToggle';
import { ModelPanel } from '../model/ModelPanel';
import { ResumeBanner } from './ResumeBanner';
import { RewindBar } from '../rewind/RewindBar';
import { NextWordsPanel } from '../nextWords/NextWordsPanel';
import { RacePanel } from '../race/RacePanel';
import { TrainingPanel } from '../training/TrainingPanel';
import { Tour, TourButton } from '../tour/Tour';

/** URL parameters win over remembered settings, so a shared link shows what its sender saw. */
function applyUrl(): BackendName | 'auto' {
  const patch = readUrl(location.search);
  useFolio.get().setSettings(startSettings(useFolio.getState().settings, patch));
  if (patch.prompt !== undefined) useFolio.get().setPrompt(patch.prompt);
  else fitStartToCorpus(useFolio.getState(), { prompt: useFolio.get().setPrompt, track: (w) => useFolio.get().setSettings({ track: w }) });
  const stored = storedSetting(BACKEND_SETTING);
  return patch.backend ?? (isBackendName(stored) ? stored : 'auto');
}

/** Keep the address bar shareable: the settings that differ from the defaults. */
function syncUrl(): void {
  const { settings, prompt, backend } = useFolio.getState();
  const next = writeUrl({ settings, prompt, backend: backend?.requested ?? 'auto' }, location.search);
  if (next !== location.search.slice(1)) history.replaceState(null, '', next ? `?${next}` : location.pathname);
}

function ErrorBanner() {
  const t = useT();
  const say = useSay();
  const error = useFolio((s) => s.error);
  if (!error || isInline(error.scope)) return null; // said next to its control (shared/InlineError.tsx)
  return (
    <div role="alert" className="error" data-testid="error">
      <span>{say(error.notice)}</span>
      {error.action && (
        <button
          data-testid="error-action"
          onClick={() => {
            useFolio.get().clearError();
            error.action!.run();
          }}
        >
          {t[error.action.label]}
        </button>
      )}
      <button className="secondary" onClick={useFolio.get().clearError}>
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
    // Runs: recorded from here on; a shared experiment's runs are offered for re-running.
    commands.runs.recordRuns();
    const shared = new URLSearchParams(location.search).get(SHARE_PARAM);
    if (shared) runsActions.setSharedFrom(shared, decodeShared(shared));
    void commands.app.start(applyUrl());
  }, []);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useFolio.subscribe((s, prev) => {
      if (s.settings === prev.settings && s.prompt === prev.prompt && s.backend === prev.backend) return;
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
    document.title = t.tabTitle;
  }, [lang, t]);
  return (
    <>
      <header>
        <h1>Folio</h1>
        <span className="tagline">{t.tagline}</span>
        <TourButton />
        <BackendBadge />
        <LanguageToggle />
      </header>
      <ErrorBanner />
      <ResumeBanner />
      <RewindBar />
      <main>
        <NextWordsPanel />
        <HubPanel />
        <TrainingPanel />
        <CorpusPanel />
        <ModelPanel />
        <GeneratePanel />
        <FineTunePanel />
        <AttentionPanel />
        <InsidePanel />
        <RacePanel />
      </main>
      <footer>
        <OfflineStatus />
      </footer>
      <Tour />
      <ConfirmDialog />
    </>
  );
}
