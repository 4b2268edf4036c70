/**
 * Placeholder page until the playground UI lands: it shows what the engine offers
 * today (presets and their sizes) so `npm run dev` serves something true.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MODEL_PRESETS } from './config';
import { paramCount } from './model/gpt';

function Placeholder() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '3rem auto', lineHeight: 1.5, color: '#1a1a1a' }}>
      <h1>Folio</h1>
      <p>
        A tiny GPT that trains in your browser. The engine (tokenizers, model, trainer, next-word ranking,
        checkpoints) is in place and runs from the command line; the playground page is being built.
      </p>
      <h2>Model presets</h2>
      <table>
        <thead>
          <tr>
            <th align="left">preset</th>
            <th align="right">layers</th>
            <th align="right">heads</th>
            <th align="right">width</th>
            <th align="right">context</th>
            <th align="right">parameters (65-char vocabulary)</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(MODEL_PRESETS).map(([name, c]) => (
            <tr key={name}>
              <td>{name}</td>
              <td align="right">{c.nLayer}</td>
              <td align="right">{c.nHead}</td>
              <td align="right">{c.nEmbd}</td>
              <td align="right">{c.blockSize}</td>
              <td align="right">{paramCount({ ...c, vocabSize: 65 }).toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Try it from a terminal: <code>npm run train -- --corpus corpus/fox.txt --preset nano --steps 600 --out ckpt/fox</code>, then{' '}
        <code>npm run predict -- --checkpoint ckpt/fox --prompt "The quick brown fox jumps over the lazy"</code>.
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Placeholder />
  </StrictMode>,
);
