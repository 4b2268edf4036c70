/** Choose the model's size: a preset or custom sizes, checked before anything is built. */
import { useState } from 'react';
import { MODEL_PRESETS, paramCount, trainPresetFor, validateModelConfig, validateModelMemory, type ModelConfig, type ModelPresetName } from '../../config';
import { modelFromSettings } from '../../state/sessionConfig';
import { commands } from '../app/commands';
import { useFolio, type Settings } from '../../state/store';
import { useSay, useT } from '../app/useT';
import { human, ParamScale } from '../shared/ParamScale';
import { guestName, useHub } from '../../state/hub';
import { SuggestedSize, useSuggestedSize } from './SuggestedSize';
import { SweepView } from './SweepView';
import { Panel } from '../shared/Panel';

const PRESET_NAMES = Object.keys(MODEL_PRESETS) as ModelPresetName[];

const FIELDS: { key: keyof ModelConfig; label: 'layers' | 'heads' | 'width' | 'context' | 'dropout'; step: number }[] = [
  { key: 'nLayer', label: 'layers', step: 1 },
  { key: 'nHead', label: 'heads', step: 1 },
  { key: 'nEmbd', label: 'width', step: 16 },
  { key: 'blockSize', label: 'context', step: 16 },
  { key: 'dropout', label: 'dropout', step: 0.05 },
];

export function ModelPanel() {
  const t = useT();
  const say = useSay();
  const settings = useFolio((s) => s.settings);
  const model = useFolio((s) => s.model);
  const busy = useFolio((s) => s.busy);
  // A draft the person edits; applied only by "Build this model".
  const [preset, setPreset] = useState<Settings['preset']>(settings.preset);
  const [custom, setCustom] = useState<ModelConfig>(modelFromSettings(settings));
  // Only a new applied size resets the draft.
  const [draftOf, setDraftOf] = useState({ preset: settings.preset, custom: settings.custom });
  if (draftOf.preset !== settings.preset || draftOf.custom !== settings.custom) {
    setDraftOf({ preset: settings.preset, custom: settings.custom });
    setPreset(settings.preset);
    setCustom(modelFromSettings(settings));
  }
  const draft = preset === 'custom' ? custom : MODEL_PRESETS[preset];
  const vocab = model?.vocabSize ?? 65;
  const shapeErrors = validateModelConfig(draft);
  // A well-formed size can still be far beyond what a tab can hold (2.4 billion parameters): refused here, not after a minute of building.
  const errors = shapeErrors.length ? shapeErrors : validateModelMemory({ ...draft, vocabSize: vocab }, trainPresetFor(preset).batchSize);
  // Counted for any well-formed size, too big or not: the ruler shows where 2.4 billion parameters sit.
  const draftParams = shapeErrors.length ? undefined : paramCount({ ...draft, vocabSize: vocab });
  const active = model ? { ...model.config } : undefined;
  const same = !!active && (['nLayer', 'nHead', 'nEmbd', 'blockSize', 'dropout'] as const).every((k) => active[k] === draft[k]);
  const suggestion = useSuggestedSize().preset;
  const guest = useHub((h) => h.model);
  return (
    <Panel id="model-h" className="model" title={t.modelTitle} hint={t.modelHint}>
      {model && (
        <p className="model-line">
          <strong data-testid="param-count" data-count={model.paramCount}>
            {t.num(model.paramCount)}
          </strong>{' '}
          {t.parameters} · {t.modelLine(model.config.nLayer, model.config.nHead, model.config.nEmbd, model.config.blockSize)}
        </p>
      )}
      <ParamScale
        params={model?.paramCount}
        draft={same ? undefined : draftParams}
        guest={guest && { params: guest.paramCount, label: `${guestName(guest)}: ${t.scaleLoaded}` }}
      />
      <div className="row wrap">
        <label className="inline-field">
          {t.preset}{' '}
          <select
            data-testid="model-preset"
            value={preset}
            onChange={(e) => {
              const p = e.target.value as Settings['preset'];
              setPreset(p);
              if (p !== 'custom') setCustom({ ...MODEL_PRESETS[p] });
            }}
          >
            {PRESET_NAMES.map((p) => (
              <option key={p} value={p}>
                {p} ({t.fixed(paramCount({ ...MODEL_PRESETS[p], vocabSize: vocab }) / 1e6, p === 'tiny' ? 3 : 2)} M)
              </option>
            ))}
            <option value="custom">{t.custom}</option>
          </select>
        </label>
        <SuggestedSize
          onChoose={(p) => {
            setPreset(p);
            setCustom({ ...MODEL_PRESETS[p] });
          }}
        />
      </div>
      <fieldset className="sizes" disabled={preset !== 'custom'}>
        <legend className="visually-hidden">{t.custom}</legend>
        {FIELDS.map((f) => (
          <label key={f.key} className="size-field">
            {t[f.label]}
            <input
              type="number"
              step={f.step}
              min={f.key === 'dropout' ? 0 : 1}
              value={Number.isNaN(draft[f.key]) ? '' : draft[f.key]}
              // An emptied field is NaN (the check says "a whole number"), not a silent 0.
              onChange={(e) => setCustom({ ...draft, [f.key]: e.target.value === '' ? NaN : Number(e.target.value) })}
            />
          </label>
        ))}
      </fieldset>
      {draftParams !== undefined && draftParams > 2e6 && suggestion !== 'baby' && errors.length === 0 && (
        <p className="note small" data-testid="model-warning">
          {t.bigModel(human(draftParams, t.num))}
        </p>
      )}
      {errors.length > 0 && (
        <ul className="error-inline" role="alert" data-testid="model-error">
          {/* Several checks share a code (a whole number, for each field): the sentence itself is the key. */}
          {errors
            .map((e) => say(e))
            .map((line, i) => (
              <li key={`${i}:${line}`}>{line}</li>
            ))}
        </ul>
      )}
      <button data-testid="build-model" disabled={errors.length > 0 || busy || same} onClick={() => commands.model.applyModel(preset, custom)}>
        {t.buildModel}
        {draftParams !== undefined && !same && ` (${t.num(draftParams)} ${t.parameters})`}
      </button>
      <SweepView />
    </Panel>
  );
}
