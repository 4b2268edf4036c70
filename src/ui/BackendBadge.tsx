/** Which backend trains the model, on what adapter, and why the faster ones were skipped. */
import { BACKEND_ORDER } from '../train/protocol';
import { useFolio } from '../state/store';
import { BACKEND_SETTING } from '../settings';

/** Switching backend restarts the page with the choice in the URL (and remembers it). */
function chooseBackend(value: string): void {
  localStorage.setItem(BACKEND_SETTING, value);
  const q = new URLSearchParams(location.search);
  if (value === 'auto') q.delete('backend');
  else q.set('backend', value);
  location.search = q.toString();
}

function BackendSelect({ current }: { current: string }) {
  return (
    <label className="backend-select">
      Run on{' '}
      <select value={current} onChange={(e) => chooseBackend(e.target.value)} aria-label="Backend to run on (reloads the page)">
        <option value="auto">best available</option>
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
  const backend = useFolio((s) => s.backend);
  if (!backend) return <span className="badge" data-testid="backend">choosing a backend…</span>;
  return (
    <details className="badge">
      <summary data-testid="backend" data-backend={backend.name} title="Which tfjs backend runs the model">
        {backend.label}
      </summary>
      {backend.adapter && (
        <p className="adapter" data-testid="backend-adapter">
          {backend.name === 'webgpu' ? 'Adapter' : 'Renderer'}: {[backend.adapter.vendor, backend.adapter.architecture, backend.adapter.description].filter(Boolean).join(' · ') || 'unnamed'}
          {backend.adapter.isSoftware && ' — software emulation on the CPU, not a real GPU'}
        </p>
      )}
      {backend.threads !== undefined && <p className="adapter">Threads: {backend.threads}</p>}
      <BackendSelect current={backend.requested} />
      {backend.skipped.length > 0 && (
        <ul data-testid="backend-skipped">
          {backend.skipped.map((s) => (
            <li key={s.name}>
              <strong>{s.name}</strong> skipped: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
