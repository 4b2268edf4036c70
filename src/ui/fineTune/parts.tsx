/** What the fine-tuning panel's sections share: the steps field's limits and the JSON Lines file button. */
import { commands } from '../app/commands';
import { useT } from '../app/useT';
import type { NumberLimits } from '../shared/NumberField';

/** Steps of one fine-tuning stage (instruction tuning, RLHF or DPO). */
export const TUNE_STEPS: NumberLimits = { min: 1, max: 5000, integer: true };

/** Add a JSON Lines file of instruction pairs or of preference ratings. */
export function JsonlFileButton({ kind }: { kind: 'instructions' | 'feedback' }) {
  const t = useT();
  return (
    <label className="secondary file-button">
      {t.uploadJsonl}
      <input
        type="file"
        accept=".jsonl,.json,.txt"
        className="visually-hidden"
        onChange={(e) => e.target.files?.[0] && void commands.fineTune.uploadTuneFile(e.target.files[0], kind)}
      />
    </label>
  );
}
