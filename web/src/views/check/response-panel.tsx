/** What script gets to see, and how long the browsers remember the preflight. */
import { duration } from '../../format';
import type { PreflightCacheReport, ReadableResponse } from '../../types';
import { BROWSER_NAMES } from './words';

const SOURCES: Readonly<Record<string, string>> = {
  default: 'no Access-Control-Max-Age: the default',
  header: 'from Access-Control-Max-Age',
  capped: 'Access-Control-Max-Age capped to the browser’s limit',
  'invalid-default': 'Access-Control-Max-Age did not parse: the default',
};

function Names({ names, tone }: { names: readonly string[]; tone: 'readable' | 'hidden' }) {
  if (names.length === 0) return <p class="meta">none</p>;
  return (
    <ul class="names">
      {names.map((name) => (
        <li key={name} class={`name name--${tone}`}>
          {name}
        </li>
      ))}
    </ul>
  );
}

export function ResponsePanel({
  response,
  cache,
}: {
  response: ReadableResponse | null;
  cache: PreflightCacheReport | null;
}) {
  if (response === null && cache === null) return null;
  return (
    <section class="card" aria-labelledby="response-title">
      <h2 id="response-title" class="card__title">
        What the page gets
      </h2>
      {response === null ? null : (
        <div class="split">
          <div>
            <h3 class="subhead">Script can read</h3>
            <Names names={response.readableHeaders} tone="readable" />
          </div>
          <div>
            <h3 class="subhead">Hidden from script</h3>
            <Names names={response.hiddenHeaders} tone="hidden" />
            {response.hiddenHeaders.length > 0 ? (
              <p class="meta">
                List a name in <code>Access-Control-Expose-Headers</code> to let script read it.
              </p>
            ) : null}
          </div>
        </div>
      )}
      {cache === null ? null : (
        <div>
          <h3 class="subhead">Preflight cache</h3>
          <dl class="facts">
            {(['chromium', 'firefox', 'webkit'] as const).map((name) => (
              <div key={name}>
                <dt>{BROWSER_NAMES[name]}</dt>
                <dd>
                  {duration(cache[name].seconds)}{' '}
                  <span class="meta">({SOURCES[cache[name].source] ?? cache[name].source})</span>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </section>
  );
}
