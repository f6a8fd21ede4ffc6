/**
 * `Access-Control-Allow-Origin` the way `cors` 2.8 decides it, from an origin setting that is
 * already resolved (a function's answer, or the static value) and known to be truthy.
 *
 * corsproof's own engine compares parsed, canonical origins and never echoes a value it has not
 * matched exactly; this layer keeps `cors`' looser rules on purpose, so a migration changes no
 * response. `warnings.ts` points out the settings where that looseness is a hole.
 */

/** What goes into the response for the origin: the header value (if any) and whether to vary. */
export interface AllowOrigin {
  /** The header value; undefined (or empty) sends no header. */
  readonly value: string | undefined;
  /** Whether `Vary: Origin` is added: always, unless the answer is the constant `*`. */
  readonly varyOnOrigin: boolean;
}

const ANY_ORIGIN: AllowOrigin = Object.freeze({ value: '*', varyOnOrigin: false });

/**
 * @example
 * allowOrigin('*', 'https://a.example')               // { value: '*', varyOnOrigin: false }
 * allowOrigin('https://b.example', 'https://a.example') // { value: 'https://b.example', varyOnOrigin: true }
 * allowOrigin([/\.example$/], 'https://a.example')     // { value: 'https://a.example', varyOnOrigin: true }
 */
export function allowOrigin(setting: unknown, requestOrigin: string | undefined): AllowOrigin {
  // Only the primitive '*' means "any": a boxed String('*') is a fixed value in cors 2.8 and so
  // still varies on Origin.
  if (setting === '*') return ANY_ORIGIN;
  // A fixed string is sent as is, whether or not it matches the request: the browser does the
  // comparison. That is cors 2.8's behaviour and needs no matching here.
  if (typeof setting === 'string' || setting instanceof String) {
    return { value: String(setting), varyOnOrigin: true };
  }
  const matched = matchesOrigin(requestOrigin, setting);
  return { value: matched ? requestOrigin : undefined, varyOnOrigin: true };
}

/**
 * Whether one entry of an origin setting (or a nested list of them) lets `requestOrigin` through.
 * Strings compare exactly (case included), RegExps test anywhere in the string (with their
 * `lastIndex` state, if `g` or `y` is set), and any other value counts by its truthiness, so
 * `true` matches every origin. (A request without an Origin can match too; it just gets no header,
 * as there is nothing to reflect.)
 */
export function matchesOrigin(requestOrigin: string | undefined, entry: unknown): boolean {
  if (Array.isArray(entry)) {
    for (const item of entry) {
      if (matchesOrigin(requestOrigin, item)) return true;
    }
    return false;
  }
  if (typeof entry === 'string') return entry === requestOrigin;
  // cors 2.8 compares a boxed string with `===` too, which no primitive ever equals.
  if (entry instanceof String) return false;
  // A missing Origin is tested as the text "undefined", as `RegExp.prototype.test` coerces it.
  if (entry instanceof RegExp) return entry.test(String(requestOrigin));
  return Boolean(entry);
}
