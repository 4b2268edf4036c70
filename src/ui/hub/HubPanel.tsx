/**
 * GPT-2 from the Hugging Face Hub: a repo field (GPT-2 and distilgpt2 offered, any GPT-2-family
 * repo accepted) or a local folder; the size before anything downloads, a progress bar and
 * Cancel while it does, and what was loaded. The ranked words it gives show in the next-words
 * panel, beside the person's own model's (nextWords/GuestWords.tsx).
 */
import { HUB_SUGGESTED } from '../../checkpoint/hub';
import { guestName, useHub } from '../../state/hub';
import { commands } from '../app/commands';
import { useSay, useT } from '../app/useT';
import { Panel } from '../shared/Panel';

function Status() {
  const t = useT();
  const { phase, plan, done, model, loadMs } = useHub();
  if (phase === 'sizing') return <p className="muted">{t.hubSizing}</p>;
  if (phase === 'confirm' && plan)
    return (
      <div className="row wrap">
        <span data-testid="hub-size" data-bytes={plan.downloadBytes}>
          {t.hubWillDownload(
            plan.repo,
            plan.downloadBytes,
            plan.files
              .filter((f) => !f.cached)
              .map((f) => f.name)
              .join(', '),
          )}
        </span>
        <button data-testid="hub-download" onClick={() => void commands.hub.download()}>
          {t.hubDownload}
        </button>
        <button className="secondary" onClick={commands.hub.cancel}>
          {t.hubCancel}
        </button>
      </div>
    );
  if (phase === 'downloading' && plan)
    return (
      <div className="row wrap">
        <progress data-testid="hub-progress" max={Math.max(1, plan.downloadBytes)} value={done} />
        <span className="small">{t.hubDownloading(done, plan.downloadBytes)}</span>
        <button data-testid="hub-cancel" className="secondary" onClick={commands.hub.cancel}>
          {t.hubCancel}
        </button>
      </div>
    );
  if (phase === 'building') return <p className="muted">{t.hubBuilding}</p>;
  if (phase === 'loaded' && model)
    return (
      <div className="row wrap">
        <span data-testid="hub-loaded" data-model={model.id} data-params={model.paramCount}>
          {t.hubLoaded(guestName(model), model.paramCount, model.config.nLayer, model.config.nHead, model.dtype)}
          {loadMs !== undefined && ` ${t.hubLoadTime(loadMs)}`}
        </span>
        <button className="secondary" onClick={() => void commands.hub.unload()}>
          {t.hubUnload}
        </button>
      </div>
    );
  return null;
}

export function HubPanel() {
  const t = useT();
  const say = useSay();
  const repo = useHub((s) => s.repo);
  const phase = useHub((s) => s.phase);
  const error = useHub((s) => s.error);
  const busy = phase === 'sizing' || phase === 'downloading' || phase === 'building';
  return (
    <Panel id="hub-h" className="hub" title={t.hubTitle} hint={t.hubHint} testId="hub-panel">
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void commands.hub.check();
        }}
      >
        <label>
          {t.hubRepo}{' '}
          <input data-testid="hub-repo" list="hub-suggested" value={repo} spellCheck={false} onChange={(e) => commands.hub.setRepo(e.target.value)} />
        </label>
        <datalist id="hub-suggested">
          {HUB_SUGGESTED.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <button data-testid="hub-check" type="submit" disabled={busy || repo === ''}>
          {t.hubCheck}
        </button>
        <label className="small">
          {t.hubFolder}{' '}
          <input
            type="file"
            data-testid="hub-folder"
            multiple
            disabled={busy}
            // Chromium, Firefox and Safari all take a folder this way.
            {...({ webkitdirectory: '' } as object)}
            onChange={(e) => void commands.hub.loadFolder(Array.from(e.target.files ?? []))}
          />
        </label>
      </form>
      <Status />
      {error && (
        <p role="alert" className="error-inline" data-testid="hub-error">
          {say(error)}
        </p>
      )}
    </Panel>
  );
}
