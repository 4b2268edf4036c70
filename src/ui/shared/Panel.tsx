/**
 * A panel's shell: the `<section class="panel …">` named by its `<h2>` (aria-labelledby),
 * and the hint under the heading. Only the frame: what the panel shows is its children.
 */
import type { ReactNode, Ref } from 'react';

export interface PanelProps {
  /** The heading's id, which names the section for assistive technology (`next-h`, `race-h`…). */
  id: string;
  /** The panel's own class beside `panel` (the styles and the tests find panels by it). */
  className: string;
  /** The heading's content: a title, and anything that sits in the heading with it. */
  title: ReactNode;
  /** The sentence under the heading that says what the panel is for. */
  hint?: ReactNode;
  testId?: string;
  ref?: Ref<HTMLElement>;
  children?: ReactNode;
}

export function Panel({ id, className, title, hint, testId, ref, children }: PanelProps) {
  return (
    <section ref={ref} className={`panel ${className}`} aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {hint !== undefined && <p className="hint">{hint}</p>}
      {children}
    </section>
  );
}
