/**
 * A labelled progress bar. The visible count updates on every event; screen readers hear it at
 * each quarter and at the end, not forty times a second.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BatchProgress } from '../types';

function milestone(progress: BatchProgress): number {
  if (progress.total === 0) return 0;
  return Math.floor((progress.done / progress.total) * 4);
}

export function ProgressBar({ progress, label }: { progress: BatchProgress; label: string }) {
  const percent = progress.total === 0 ? 0 : Math.round((progress.done / progress.total) * 100);
  const finished = progress.total > 0 && progress.done >= progress.total;
  const summary = `${progress.done} of ${progress.total} done (${percent}%): ${progress.passed} passed, ${progress.failed} failed, ${progress.errors} errors`;
  const stage = finished ? 5 : milestone(progress);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (stage > 0) setAnnouncement(finished ? `Finished: ${summary}` : summary);
  }, [stage]);
  return (
    <div class="progress">
      <div class="progress__head">
        <label class="progress__label" for="batch-progress">
          {label}
        </label>
        <span class="progress__percent">{percent}%</span>
      </div>
      <progress
        id="batch-progress"
        class={`progress__bar${finished ? ' progress__bar--done' : ''}`}
        max={Math.max(progress.total, 1)}
        value={progress.done}
      >
        {percent}%
      </progress>
      <p class="progress__counts" aria-hidden="true">
        <span>
          {progress.done} / {progress.total}
        </span>
        <span class="count count--passed">{progress.passed} passed</span>
        <span class="count count--failed">{progress.failed} failed</span>
        <span class="count count--error">{progress.errors} errors</span>
      </p>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
