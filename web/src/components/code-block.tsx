import { CopyButton } from './copy-button';

/** Copy-ready code: a title bar with a copy button, and the code, scrollable by keyboard too. */
export function CodeBlock({
  title,
  code,
  language,
  copyLabel,
}: {
  title: string;
  code: string;
  language?: string;
  copyLabel?: string;
}) {
  return (
    <div class="code">
      <div class="code__bar">
        <span class="code__title">{title}</span>
        <CopyButton text={code} label={copyLabel ?? `Copy ${title}`} />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: long lines scroll sideways; Safari's keyboard reaches a scroller only with a tab stop */}
      <pre class="code__body" tabIndex={0} data-language={language}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
