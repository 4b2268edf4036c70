/** Which backend trains the model, on what adapter, and why the faster ones were skipped. */
import { useFolio } from '../state/store';

export function BackendBadge() {
  const backend = useFolio((s) => s.backend);
  if (!backend) return <span className="badge" data-testid="backend">choosing a backend…</span>;
  return (
    <details className="badge">
      <summary data-testid="backend" data-backend={backend.name} title="Which tfjs backend runs the model">
        {backend.label}
      </summary>
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
