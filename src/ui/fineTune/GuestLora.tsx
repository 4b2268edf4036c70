/**
 * The Fine-tune panel's LoRA section, shown while a pretrained GPT-2 is loaded beside the
 * person's model (ui/hub/): the same method and data as the sections above, a rank, a
 * number of steps, each step's progress and Stop; then the adapters saved as PEFT's two
 * files or merged into the weights, and the whole model saved (GuestExport.tsx). Its ranked words, beside the person's model's in the
 * next-words panel, show what it learned. No training logic here: commands/guestLora.ts.
 */
import { useState } from 'react';
import { guestName, useHub } from '../../state/hub';
import type { TuneMethod } from '../../train/finetune/tuneConfig';
import { commands } from '../app/commands';
import { useSay, useT } from '../app/useT';
import { NumberField, type NumberLimits } from '../shared/NumberField';
import { GuestExport, saveFile } from './GuestExport';

const RANK: NumberLimits = { min: 1, max: 64, integer: true };
const STEPS: NumberLimits = { min: 1, max: 500, integer: true };

/** Save the two files as downloads, under the names PEFT reads. */
function save(files: { config: string; weights: ArrayBuffer }): void {
  saveFile('adapter_config.json', new Blob([files.config], { type: 'application/json' }));
  saveFile('adapter_model.safetensors', new Blob([files.weights], { type: 'application/octet-stream' }));
}

export function GuestLora() {
  const t = useT();
  const say = useSay();
  const model = useHub((s) => s.model);
  const error = useHub((s) => s.error);
  const outcome = useHub((s) => s.outcome);
  const tuning = useHub((s) => s.tuning);
  const [method, setMethod] = useState<TuneMethod>('dpo');
  const [rank, setRank] = useState(8);
  const [steps, setSteps] = useState(20);
  if (!model) return null;
  const name = guestName(model);
  const loss = tuning?.metrics.at(-1)?.loss;
  const cost = tuning?.metrics.findLast((m) => m.costKl !== undefined)?.costKl;
  return (
    <div className="tune-section" data-testid="guest-lora">
      <h3>{t.loraTitle(name)}</h3>
      <p className="hint">{t.loraHint(name)}</p>
      <div className="row wrap">
        <label className="inline-field">
          {t.method}{' '}
          <select data-testid="lora-method" value={method} onChange={(e) => setMethod(e.target.value as TuneMethod)} disabled={!!tuning}>
            <option value="sft">SFT</option>
            <option value="dpo">DPO</option>
            <option value="rlhf">RLHF</option>
          </select>
        </label>
        <label className="inline-field">
          {/* A guest that has adapters goes on training them: its rank is theirs. */}
          {t.loraRank} <NumberField {...RANK} testId="lora-rank" value={model.lora?.r ?? rank} onChange={(r) => !model.lora && setRank(r)} />
        </label>
        <label className="inline-field">
          {t.tuneSteps} <NumberField {...STEPS} testId="lora-steps" value={steps} onChange={setSteps} />
        </label>
        {tuning ? (
          <button className="secondary" data-testid="lora-stop" disabled={tuning.stopping} onClick={commands.guestLora.stop}>
            {t.loraStop}
          </button>
        ) : (
          <button data-testid="lora-train" onClick={() => void commands.guestLora.tune(method, steps, { r: rank, alpha: 2 * rank })}>
            {t.loraTune(name)}
          </button>
        )}
      </div>
      {tuning && (
        <p className="muted small" data-testid="lora-progress" data-step={tuning.step}>
          {t.loraProgress(tuning.step, tuning.steps, loss)}
          {tuning.trainable > 0 && <> · {t.loraTrainable(tuning.trainable, model.paramCount)}</>}
          {cost !== undefined && (
            <span data-testid="lora-cost" data-kl={cost}>
              {' '}
              · {t.loraCost(cost)}
            </span>
          )}
        </p>
      )}
      {!tuning &&
        outcome?.map((n, i) => (
          <p key={i} className="muted small" data-testid="lora-outcome">
            {say(n)}
          </p>
        ))}
      {error && (
        <p role="alert" className="error-inline" data-testid="lora-error">
          {say(error)}
        </p>
      )}
      {model.lora && !tuning && (
        <>
          <p className="muted small" data-testid="lora-has" data-r={model.lora.r}>
            {t.loraHas(model.lora.r, model.lora.alpha, model.lora.targets.join(', '))} {t.loraTrainable(model.lora.trainable, model.paramCount)}
          </p>
          <div className="row wrap">
            <button
              className="secondary"
              data-testid="lora-save"
              title={t.loraSaveHint}
              onClick={() => void commands.guestLora.adapters().then((f) => f && save(f))}
            >
              {t.loraSave}
            </button>
            <button className="secondary" data-testid="lora-merge" onClick={() => void commands.guestLora.merge()}>
              {t.loraMerge}
            </button>
          </div>
        </>
      )}
      {!tuning && <GuestExport />}
    </div>
  );
}
