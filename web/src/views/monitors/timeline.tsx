/**
 * A monitor's history as a strip: one band per period between changes of outcome, its width the
 * period's share of the whole. SVG attributes size the bands (the CSP forbids style attributes).
 */
import { duration } from '../../format';
import type { MonitorTransition, Outcome } from '../../types';

const WIDTH = 1000;
/** Keeps a short period visible next to a long one. */
const MIN_BAND = 6;

export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  passed: 'passing',
  failed: 'failing',
  error: 'erroring',
};

export function Timeline({
  transitions,
  now = Date.now(),
}: {
  transitions: readonly MonitorTransition[];
  now?: number;
}) {
  const sorted = [...transitions].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const first = sorted[0];
  if (first === undefined) return <p class="meta">No run yet: the first is due now.</p>;
  const start = Date.parse(first.at);
  const total = Math.max(now - start, 1);
  const periods = sorted.map((t, i) => {
    const from = Date.parse(t.at);
    const next = sorted[i + 1];
    const to = next === undefined ? now : Date.parse(next.at);
    return { outcome: t.to, from, seconds: Math.max(0, Math.round((to - from) / 1000)) };
  });
  const label = periods
    .map((p) => `${OUTCOME_WORDS[p.outcome]} for ${duration(p.seconds)}`)
    .join(', then ');
  let x = 0;
  return (
    <figure class="timeline">
      <svg
        class="timeline__strip"
        viewBox={`0 0 ${WIDTH} 24`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Since the first run: ${label}.`}
      >
        {periods.map((p) => {
          const width = Math.min(Math.max(MIN_BAND, (p.seconds * 1000 * WIDTH) / total), WIDTH - x);
          const band = (
            <rect
              key={p.from}
              class={`timeline__band timeline__band--${p.outcome}`}
              x={Math.min(x, WIDTH - MIN_BAND)}
              y="0"
              width={Math.max(width, 0)}
              height="24"
            />
          );
          x += width;
          return band;
        })}
      </svg>
      <figcaption class="timeline__legend">
        <span class="legend legend--passed">passing</span>
        <span class="legend legend--failed">failing</span>
        <span class="legend legend--error">error</span>
      </figcaption>
    </figure>
  );
}
