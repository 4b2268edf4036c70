/** Text shown as the tokens the model sees: one chip per token, whitespace made visible. */
import { visibleWhitespace } from '../../tokenizer/tokenizer';

export function TokenChips({ tokens }: { tokens: string[] }) {
  return (
    <p className="chips" aria-label="tokens">
      {tokens.map((tok, i) => (
        <span key={i} className={`tok tok-${i % 4}`} title={JSON.stringify(tok)}>
          {visibleWhitespace(tok)}
        </span>
      ))}
    </p>
  );
}
