import { useEffect, useState } from 'preact/hooks';
import { copyText } from '../clipboard';
import { CopyIcon, DoneIcon } from './icons';

type State = 'idle' | 'copied' | 'failed';

const WORDS: Readonly<Record<State, string>> = {
  idle: 'Copy',
  copied: 'Copied',
  failed: 'Select and press Ctrl+C',
};

/**
 * A copy button that says what happened, to sighted users in its label and to screen readers
 * through a polite live region.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<State>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = async () => setState((await copyText(text)) ? 'copied' : 'failed');
  return (
    <>
      <button
        type="button"
        class={`button button--small button--quiet copy copy--${state}`}
        aria-label={`${label}${state === 'idle' ? '' : ` (${WORDS[state]})`}`}
        onClick={copy}
      >
        {state === 'copied' ? <DoneIcon /> : <CopyIcon />}
        <span aria-hidden="true">{WORDS[state]}</span>
      </button>
      <span class="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? WORDS.failed : ''}
      </span>
    </>
  );
}
