import type { ComponentChildren } from 'preact';

/** The view's h1; focusable from script so a route change can move focus (and the reader) there. */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-heading">
      <h1 tabIndex={-1}>{title}</h1>
      {children === undefined ? null : <p class="page-heading__lead">{children}</p>}
    </header>
  );
}
