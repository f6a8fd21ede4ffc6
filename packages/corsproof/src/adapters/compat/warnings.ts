/**
 * Warnings for the `cors` 2.8 settings that this layer reproduces faithfully although they are
 * unsafe or broken. Each kind is emitted once per process through `process.emitWarning`, so it
 * shows up in logs (and can be silenced with `node --disable-warning=<code>`) without flooding them.
 */
import { findLooseDots, isAnchored, type LooseDot, type LooseWildcard } from './_regexp.js';

/** Stable codes of the warnings `corsproof/compat` emits, one per kind. */
export type CompatWarningCode =
  | 'CORSPROOF_COMPAT_REFLECT_CREDENTIALS'
  | 'CORSPROOF_COMPAT_WILDCARD_CREDENTIALS'
  | 'CORSPROOF_COMPAT_UNANCHORED_REGEXP'
  | 'CORSPROOF_COMPAT_UNESCAPED_DOT'
  | 'CORSPROOF_COMPAT_LOOSE_WILDCARD'
  | 'CORSPROOF_COMPAT_STATEFUL_REGEXP'
  | 'CORSPROOF_COMPAT_NULL_ORIGIN';

/** The `type` (the warning's name) of every warning this layer emits. */
export const COMPAT_WARNING_TYPE = 'CorsproofWarning';

const NATIVE = 'corsproof/express';

const MESSAGES: Readonly<Record<CompatWarningCode, (subject: string) => string>> = {
  CORSPROOF_COMPAT_REFLECT_CREDENTIALS: (subject) =>
    `corsproof: ${subject} with credentials: true reflects every request's Origin and allows credentials, so any website can read responses made with your users' cookies. corsproof/compat keeps this cors 2.8 behaviour; list the origins instead, or move to ${NATIVE} with origins: ['https://app.example.com'], credentials: true.`,
  CORSPROOF_COMPAT_WILDCARD_CREDENTIALS: (subject) =>
    `corsproof: ${subject} with credentials: true sends Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true, and browsers refuse every credentialed response like that. corsproof/compat keeps this cors 2.8 behaviour; name the origins, or move to ${NATIVE} with origins: ['https://app.example.com'], credentials: true.`,
  CORSPROOF_COMPAT_UNANCHORED_REGEXP: (subject) =>
    `corsproof: origin ${subject} is not anchored at both ends, so it also matches origins that merely contain a match (/example\\.com$/ accepts https://evil-example.com). corsproof/compat keeps this cors 2.8 behaviour; write /^https:\\/\\/app\\.example\\.com$/, or move to ${NATIVE} with origins: ['https://app.example.com', 'https://*.example.com'].`,
  CORSPROOF_COMPAT_UNESCAPED_DOT: (subject) =>
    `corsproof: origin ${subject}. corsproof/compat keeps this cors 2.8 behaviour; escape the dot, or move to ${NATIVE} with origins: ['https://app.example.com'].`,
  CORSPROOF_COMPAT_LOOSE_WILDCARD: (subject) =>
    `corsproof: origin ${subject}. corsproof/compat keeps this cors 2.8 behaviour; match whole labels, or move to ${NATIVE} with origins: ['https://*.example.com'], which matches subdomains label by label.`,
  CORSPROOF_COMPAT_STATEFUL_REGEXP: (subject) =>
    `corsproof: origin ${subject} has the g or y flag, so .test() resumes from lastIndex and the same origin is allowed on one request and refused on the next. corsproof/compat keeps this cors 2.8 behaviour; drop the flag, or move to ${NATIVE} with origins: ['https://app.example.com'].`,
  CORSPROOF_COMPAT_NULL_ORIGIN: (subject) =>
    `corsproof: ${subject} allows the origin "null", which any site can obtain for its requests with a sandboxed iframe or a data: URL. corsproof/compat keeps this cors 2.8 behaviour; remove it, or move to ${NATIVE} with origins: ['https://app.example.com'], which refuses "null".`,
};

/** Every code, for callers that filter on them. */
export const COMPAT_WARNING_CODES = Object.freeze(
  Object.keys(MESSAGES),
) as readonly CompatWarningCode[];

const emitted = new Set<CompatWarningCode>();
const anchoredChecked = new WeakSet<RegExp>();

function warnOnce(code: CompatWarningCode, subject: string): void {
  if (emitted.has(code)) return;
  emitted.add(code);
  process.emitWarning(MESSAGES[code](subject), { type: COMPAT_WARNING_TYPE, code });
}

/**
 * Looks at a resolved origin setting (a static value, or what an origin function called back with)
 * and warns about the unsafe forms. Cheap once every kind has been reported.
 */
export function auditOrigin(origin: unknown, credentials: unknown): void {
  if (emitted.size === COMPAT_WARNING_CODES.length) return;
  const credentialed = credentials === true;
  // A fixed string (`'*'` included) is sent verbatim, so only its value can be a problem.
  if (typeof origin === 'string' || origin instanceof String) {
    const value = String(origin);
    if (value === '*' && credentialed) {
      warnOnce('CORSPROOF_COMPAT_WILDCARD_CREDENTIALS', "origin: '*' (also the default)");
    } else if (value === 'null') {
      warnOnce('CORSPROOF_COMPAT_NULL_ORIGIN', "origin: 'null'");
    }
    return;
  }
  if (matchesAnything(origin) && credentialed) {
    warnOnce(
      'CORSPROOF_COMPAT_REFLECT_CREDENTIALS',
      Array.isArray(origin) ? 'an origin list containing true' : 'origin: true',
    );
  }
}

/**
 * Whether a setting that is matched against the request (true, a RegExp, a list) lets every origin
 * through, warning on the way about the entries that are unsafe on their own.
 */
function matchesAnything(entry: unknown): boolean {
  if (Array.isArray(entry)) {
    let any = false;
    for (const item of entry) any = matchesAnything(item) || any;
    return any;
  }
  if (typeof entry === 'string') {
    if (entry === 'null')
      warnOnce('CORSPROOF_COMPAT_NULL_ORIGIN', "an origin list containing 'null'");
    return false;
  }
  if (entry instanceof String) return false;
  if (entry instanceof RegExp) {
    auditPattern(entry);
    return false;
  }
  return Boolean(entry);
}

function auditPattern(pattern: RegExp): void {
  if (pattern.global || pattern.sticky)
    warnOnce('CORSPROOF_COMPAT_STATEFUL_REGEXP', String(pattern));
  if (anchoredChecked.has(pattern)) return;
  anchoredChecked.add(pattern);
  if (!isAnchored(pattern)) warnOnce('CORSPROOF_COMPAT_UNANCHORED_REGEXP', String(pattern));
  const loose = findLooseDots(pattern);
  const dot = loose.find((l): l is LooseDot => l.kind === 'dot');
  const wildcard = loose.find((l): l is LooseWildcard => l.kind === 'wildcard');
  if (dot === undefined && wildcard === undefined) return;
  const fixed = `/${fixSource(pattern.source, loose)}/${pattern.flags}`;
  if (dot !== undefined) {
    const letsIn = witness(pattern, loose, dot, 'x');
    warnOnce(
      'CORSPROOF_COMPAT_UNESCAPED_DOT',
      `${String(pattern)} has an unescaped "." that matches any character, so it also lets in ${letsIn ?? 'an origin with any character in place of that dot'}; write ${fixed}`,
    );
  }
  if (wildcard !== undefined) {
    const letsIn = witness(
      pattern,
      loose,
      wildcard,
      wildcard.beforeLiteral ? 'evil' : '\\.evil\\.example',
    );
    const where = wildcard.beforeLiteral
      ? 'runs into a host label'
      : 'runs past the end of the host';
    warnOnce(
      'CORSPROOF_COMPAT_LOOSE_WILDCARD',
      `${String(pattern)} has ${wildcard.text}, which ${where}, so it also lets in ${letsIn ?? 'origins of other sites'}; write ${fixed}`,
    );
  }
}

/**
 * The source with each loose dot fixed: a single dot escaped, a wildcard before a label made to
 * match whole labels, a wildcard at the end made to match a port only.
 */
function fixSource(source: string, loose: readonly (LooseDot | LooseWildcard)[]): string {
  return replaceAt(source, loose, (l) => {
    if (l.kind === 'dot') return '\\.';
    if (!l.beforeLiteral) return '(?::[0-9]+)?';
    return l.text.startsWith('.+') ? '(?:[a-z0-9-]+\\.)+' : '(?:[a-z0-9-]+\\.)*';
  });
}

function replaceAt(
  source: string,
  loose: readonly (LooseDot | LooseWildcard)[],
  replace: (l: LooseDot | LooseWildcard) => string,
): string {
  let out = '';
  let from = 0;
  for (const l of loose) {
    out += source.slice(from, l.at) + replace(l);
    from = l.at + (l.kind === 'dot' ? 1 : l.text.length);
  }
  return out + source.slice(from);
}

/**
 * An origin the pattern accepts because of `culprit`: the pattern with every other loose dot fixed
 * and `culprit` replaced by `stand-in`, read as the one string it then matches. Null when the
 * pattern is not that simple (groups, classes, alternatives), or the string does not match after all.
 */
function witness(
  pattern: RegExp,
  loose: readonly (LooseDot | LooseWildcard)[],
  culprit: LooseDot | LooseWildcard,
  standIn: string,
): string | null {
  const source = replaceAt(pattern.source, loose, (l) =>
    l === culprit ? standIn : l.kind === 'dot' ? '\\.' : '',
  );
  const literal = literalOf(source);
  if (literal === null) return null;
  const fresh = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return fresh.test(literal) ? literal : null;
}

/** The string a source of escaped characters, literals and `c?` matches; null for anything more. */
function literalOf(source: string): string | null {
  let out = '';
  const end = source.endsWith('$') ? source.length - 1 : source.length;
  for (let i = source.startsWith('^') ? 1 : 0; i < end; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[++i];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return null;
      out += next;
    } else if (c === '?') {
      // `s?` in `https?`: keeping the character is one of the strings it matches.
      if (i === 0 || source[i - 1] === ')') return null;
    } else if ('[](){}*+|^$.'.includes(c)) {
      return null;
    } else {
      out += c;
    }
  }
  return out;
}
