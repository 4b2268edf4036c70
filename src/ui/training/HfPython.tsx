/**
 * Next to *Save for Python / Hugging Face*: what a DNA model's export does with overlapping
 * k-mers, and the Python that loads the .zip (the same snippet as the README.md inside it,
 * checkpoint/hfReadme.ts), shown when asked for.
 */
import { useState } from 'react';
import { defaultPrompt, pythonSnippet } from '../../checkpoint/hfReadme';
import { exportBaseName } from '../../state/commands/checkpoints';
import { useFolio, useLang, useModel, usePrompt } from '../../state/store';
import { hfFolderName } from '../app/hfDownload';
import { useT } from '../app/useT';

function Snippet() {
  const model = useModel();
  const lang = useLang();
  const prompt = usePrompt();
  // The name the next export will have: the step it is saved at.
  const step = useFolio((s) => s.run.step);
  if (!model) return null;
  const tokenizer = { kind: model.tokenizer, ...(model.kmer ?? {}) };
  const folder = hfFolderName(exportBaseName(model.corpusName, step));
  return (
    <pre className="small" data-testid="hf-python-code">
      <code>{pythonSnippet({ folder, prompt: prompt.trim() ? prompt : defaultPrompt(model.tokenizer), tokenizer, lang })}</code>
    </pre>
  );
}

export function HfPython() {
  const t = useT();
  const kmer = useFolio((s) => s.model?.kmer);
  const [open, setOpen] = useState(false);
  return (
    <>
      {kmer?.overlap && kmer.k > 1 && (
        <p className="muted small" data-testid="hf-dna-note">
          {t.hfExportDna(kmer.k)}
        </p>
      )}
      <details className="small hf-python" data-testid="hf-python" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>{t.hfPythonShow}</summary>
        {open && <Snippet />}
      </details>
    </>
  );
}
