/**
 * Temperature on the ranked bars: a slider that reshapes the shown distribution in place
 * (the worker ranks with softmax(logits ÷ T), as sampling at T draws), before anything is
 * sampled, so a learner sees what temperature does. Log scale: 0.1 to 5, with 1 in the middle
 * of what matters. The tracked word's curve stays at 1 (the model's own probability).
 */
import { commands } from '../app/commands';
import { useFolio } from '../../state/store';
import { useT } from '../app/useT';

const LOG_MIN = -1; // 0.1
const LOG_MAX = Math.log10(5);

export function BarsTemperature() {
  const t = useT();
  const temperature = useFolio((s) => s.settings.barsTemperature);
  const set = (v: number) => commands.nextWords.setBarsTemperature(+v.toPrecision(2));
  return (
    <label className="inline-field small" title={t.barsTemperatureHint}>
      {t.barsTemperature}{' '}
      <input
        type="range"
        data-testid="bars-temperature"
        data-value={temperature}
        min={LOG_MIN}
        max={LOG_MAX}
        step={0.01}
        value={Math.log10(temperature)}
        aria-valuetext={t.fixed(temperature, 2)}
        onChange={(e) => set(10 ** Number(e.target.value))}
      />{' '}
      <output>{t.fixed(temperature, temperature < 1 ? 2 : 1)}</output>
      {temperature !== 1 && (
        <button className="secondary small" onClick={() => set(1)}>
          {t.barsTemperatureReset}
        </button>
      )}
    </label>
  );
}
