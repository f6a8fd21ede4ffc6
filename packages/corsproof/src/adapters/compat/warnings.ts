/**
 * Warnings for the `cors` 2.8 settings that this layer reproduces faithfully although they are
 * unsafe or broken. Each kind is emitted once per process through `process.emitWarning`, so it
 * shows up in logs (and can be silenced with `node --disable-warning=<code>`) without flooding them.
 */
import { isAnchored } from './_regexp.js';

/** Stable codes of the warnings `corsproof/compat` emits, one per kind. */
export type CompatWarningCode =
  | 'CORSPROOF_COMPAT_REFLECT_CREDENTIALS'
  | 'CORSPROOF_COMPAT_WILDCARD_CREDENTIALS'
  | 'CORSPROOF_COMPAT_UNANCHORED_REGEXP'
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
}
