/** Export the model to files (with rewind's snapshots when asked), load it back, and where the autosave stands. */
import { useState } from 'react';
import { commands } from '../app/commands';
import { snapshotStepsOf, useFolio, useLastSave } from '../../state/store';
import { useT } from '../app/useT';
import { InlineError } from '../shared/InlineError';
import { HfPython } from './HfPython';

export function CheckpointTools() {
  const t = useT();
  const ready = useFolio((s) => !!s.model && !s.busy);
  const lastSave = useLastSave();
  const snapshots = useFolio(snapshotStepsOf).length;
  const snapshotBytes = useFolio((s) => s.rewind.snapshots?.bytes ?? 0);
  const [withSnapshots, setWithSnapshots] = useState(false);
  return (
    <section className="checkpoints" aria-labelledby="ckpt-h">
      <h3 id="ckpt-h">{t.checkpointsTitle}</h3>
      <p className="muted small">{t.autosaveHint}</p>
      <div className="row wrap">
        <button
          className="secondary"
          data-testid="checkpoint-export"
          disabled={!ready}
          onClick={() => commands.checkpoints.exportCheckpoint({ snapshots: withSnapshots && snapshots > 0 })}
        >
          {t.exportFiles}
        </button>
        {snapshots > 0 && (
          <label className="inline-field small">
            <input type="checkbox" data-testid="export-snapshots" checked={withSnapshots} onChange={(e) => setWithSnapshots(e.target.checked)} />{' '}
            {t.exportSnapshots(snapshots, snapshotBytes)}
          </label>
        )}
        <button
          className="secondary"
          data-testid="checkpoint-export-hf"
          disabled={!ready}
          onClick={commands.checkpoints.exportHuggingFace}
          title={t.hfExportHint}
        >
          {t.hfExport}
        </button>
        <label className="file-label small">
          {t.importFiles} <span className="muted">({t.importHint})</span>
          <input
            data-testid="checkpoint-file"
            type="file"
            multiple
            accept=".json,.bin,.safetensors,.zip,application/json,application/octet-stream,application/zip"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              if (files.length) void commands.checkpoints.importCheckpoint(files);
              e.target.value = '';
            }}
          />
        </label>
        {lastSave && (
          <span className="muted small" data-testid="autosaved" data-step={lastSave.step}>
            {t.savedHere(lastSave.step)}
          </span>
        )}
      </div>
      <InlineError scope="checkpointFile" />
      <p className="muted small">{t.hfExportHint}</p>
      <HfPython />
    </section>
  );
}
