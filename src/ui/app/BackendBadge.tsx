/** Which backend trains the model, on what adapter, and why the faster ones were skipped. */
import { BACKEND_ORDER } from '../../worker/protocol';
import { useFolio } from '../../state/store';
import { BACKEND_SETTING } from '../../state/settings';
import { useSay, useT } from './useT';

/** Switching backend restarts the page with the choice in the URL (and remembers it). */
function chooseBackend(value: string): void {
  try {
    localStorage.setItem(BACKEND_SETTING, value);
  } catch {
    // storage disabled: the URL still carries the choice
  }
  const q = new URLSearchParams(location.search);
  if (value === 'auto') q.delete('backend');
  else q.set('backend', value);
  location.search = q.toString();
}

function BackendSelect({ current }: { current: string }) {
  const t = useT();
  return (
    <label className="backend-select">
      {t.runOn}{' '}
      <select value={current} onChange={(e) => chooseBackend(e.target.value)} aria-label={t.runOnLabel}>
        <option value="auto">{t.bestAvailable}</option>
        {BACKEND_ORDER.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
    </label>
  );
}

export function BackendBadge() {
  const t = useT();
  const say = useSay();
  const backend = useFolio((s) => s.backend);
  if (!backend)
    return (
      <span className="badge" data-testid="backend">
        {t.backendChoosing}
      </span>
    );
  return (
    <details className="badge">
      <summary data-testid="backend" data-backend={backend.name} title={t.backendTitle}>
        {backend.labelNotice ? say(backend.labelNotice) : backend.label}
      </summary>
      <div className="badge-body">
        {backend.adapter && (
          <p className="adapter" data-testid="backend-adapter">
            {backend.name === 'webgpu' ? t.adapter : t.renderer}:{' '}
            {[backend.adapter.vendor, backend.adapter.architecture, backend.adapter.description].filter(Boolean).join(' · ') || '—'}
            {backend.adapter.isSoftware && t.software}
          </p>
        )}
        {backend.threads !== undefined && (
          <p className="adapter">
            {t.threads}: {backend.threads}
          </p>
        )}
        <BackendSelect current={backend.requested} />
        {backend.skipped.length > 0 && (
          <ul data-testid="backend-skipped">
            {backend.skipped.map((s) => (
              <li key={s.name}>
                <strong>{s.name}</strong> {t.skipped}: {s.notice ? say(s.notice) : s.reason}
              </li>
            ))}
          </ul>
        )}
        <p className="muted small">{t.gpuExplain}</p>
      </div>
    </details>
  );
}
