/**
 * The guest's full export, in its LoRA section (GuestLora.tsx): one button that saves the
 * pretrained model as a Hugging Face folder in one .zip — with its adapters merged into the
 * written weights when it has some ("Download merged model"), its plain weights when not —
 * delivered as the toy's Hugging Face export is. Writing it takes a while on a 124 M model, so
 * the button says so meanwhile; a failure shows right beside it. The work is
 * commands/guestLora.ts exportModel and the worker's; this only saves the file.
 */
import { useHub } from '../../state/hub';
import { commands } from '../app/commands';
import { useSay, useT } from '../app/useT';

/** Save a Blob as a download under its name. */
export function saveFile(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function GuestExport() {
  const t = useT();
  const say = useSay();
  const model = useHub((s) => s.model);
  const exporting = useHub((s) => s.exporting);
  if (!model) return null;
  const mine = exporting?.modelId === model.id ? exporting : undefined; // of an earlier guest (or of this one before a stage): not shown
  const merged = !!model.lora;
  const bytes = 4 * model.paramCount;
  return (
    <>
      <div className="row wrap">
        <button
          className="secondary"
          data-testid="guest-export"
          data-merged={merged}
          disabled={mine?.busy}
          onClick={() => void commands.guestLora.exportModel().then((f) => f && saveFile(f.name, f.blob))}
        >
          {t.guestExport(merged)}
        </button>
        {mine?.busy && (
          <span className="muted small" data-testid="guest-export-busy">
            {t.guestExporting(bytes)}
          </span>
        )}
        {mine?.error && (
          <span role="alert" className="error-inline" data-testid="guest-export-error">
            {say(mine.error)}
          </span>
        )}
      </div>
      <p className="muted small">{t.guestExportHint(merged, bytes)}</p>
    </>
  );
}
