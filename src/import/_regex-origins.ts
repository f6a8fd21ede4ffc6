/**
 * Turns a regular expression of origins into corsproof origin patterns, only as far as it means
 * exactly those: `^https://([a-z0-9-]+\.)+example\.com$` becomes `https://*.example.com`; an
 * expression that also matches other origins is reported with an origin that shows it, and only
 * the origins it certainly allows are kept. Never wider than the original.
 */
import { parseOriginSpec } from 'corsproof';
import { parseRegex, type RegexNode, RegexSyntaxError, toJsRegExp } from './_regex-ast.js';
import type { ImportFindingId } from './findings.js';

export interface RegexMatching {
  /** The library matches from the start only (Python `re.match`): an implicit `^`. */
  readonly impliedStart: boolean;
  /** The library matches the whole value (`fullmatch`): an implicit `$` too. */
  readonly impliedEnd: boolean;
  readonly ignoreCase: boolean;
}

export interface RegexProblem {
  readonly id: ImportFindingId;
  readonly severity: 'high' | 'medium' | 'low' | 'info';
  readonly message: string;
}

export interface RegexOrigins {
  /** corsproof origins and patterns the expression allows, each entirely. */
  readonly origins: string[];
  readonly problems: RegexProblem[];
  /** Small differences in the stricter or browser-irrelevant direction. */
  readonly notes: string[];
}

const SUBDOMAINS = '*.';
const ANY_PORT = ':*';
const MAX_EXPANSION = 64;

type Expansion = { ok: true; texts: string[] } | { ok: false; why: string };

/** Characters a DNS label holds in a serialized origin (and upper case, which browsers never send). */
const LABEL_CHARS = /^[A-Za-z0-9_-]$/;

function isLabelRun(nodes: readonly RegexNode[]): boolean {
  return nodes.every((node) => {
    switch (node.type) {
      case 'char':
        return LABEL_CHARS.test(node.char);
      case 'class':
        return [...node.chars].every((c) => LABEL_CHARS.test(c));
      case 'group':
        return node.alternatives.every(isLabelRun);
      case 'repeat':
        return isLabelRun([node.node]);
      default:
        return false;
    }
  });
}

/** `(?:LABEL\.)+` or `(LABEL\.)*`: one or more (zero or more) whole labels, each with its dot. */
function labelsRepeat(node: RegexNode): { min: number } | null {
  if (node.type !== 'repeat' || node.max !== Infinity || node.min > 1) return null;
  const inner = node.node;
  if (inner.type !== 'group' || inner.alternatives.length !== 1) return null;
  const seq = inner.alternatives[0] as RegexNode[];
  const last = seq[seq.length - 1];
  if (last?.type !== 'char' || last.char !== '.' || seq.length < 2) return null;
  return isLabelRun(seq.slice(0, -1)) ? { min: node.min } : null;
}

function isDigits(nodes: readonly RegexNode[]): boolean {
  return nodes.every((node) => {
    switch (node.type) {
      case 'char':
        return /^[0-9]$/.test(node.char);
      case 'class':
        return [...node.chars].every((c) => /^[0-9]$/.test(c));
      case 'group':
        return node.alternatives.every(isDigits);
      case 'repeat':
        return isDigits([node.node]);
      case 'look':
        return true;
      case 'end':
        return true;
      default:
        return false;
    }
  });
}

/** `(?::PORT)?` where PORT is made of digits only: checked against every port by sampling later. */
function isOptionalPort(node: RegexNode): boolean {
  if (node.type !== 'repeat' || node.min !== 0 || node.max !== 1) return false;
  const inner = node.node;
  if (inner.type !== 'group' || inner.alternatives.length !== 1) return false;
  const [colon, ...rest] = inner.alternatives[0] as RegexNode[];
  return colon?.type === 'char' && colon.char === ':' && rest.length > 0 && isDigits(rest);
}

function product(prefixes: string[], suffixes: string[]): Expansion {
  if (prefixes.length * suffixes.length > MAX_EXPANSION) {
    return { ok: false, why: 'it has too many alternatives to list' };
  }
  return { ok: true, texts: prefixes.flatMap((p) => suffixes.map((s) => p + s)) };
}

/** Every string a sequence matches, with `*.` and `:*` for the parts corsproof writes so. */
function expand(nodes: readonly RegexNode[], ignoreCase: boolean): Expansion {
  // An unescaped dot is the mistake to name first, wherever it is.
  if (nodes.some((n) => n.type === 'any'))
    return { ok: false, why: 'an unescaped "." matches any character' };
  if (nodes.some((n) => n.type === 'repeat' && n.node.type === 'any')) {
    return { ok: false, why: 'its ".*" matches any characters' };
  }
  let texts = [''];
  for (const node of nodes) {
    let next: Expansion;
    const labels = labelsRepeat(node);
    if (labels !== null) {
      if (!texts.every((t) => t.endsWith('://'))) {
        return { ok: false, why: 'its subdomain part does not follow the scheme directly' };
      }
      next = { ok: true, texts: labels.min === 0 ? ['', SUBDOMAINS] : [SUBDOMAINS] };
    } else if (isOptionalPort(node)) {
      next = { ok: true, texts: [ANY_PORT] };
    } else if (node.type === 'char') {
      next = { ok: true, texts: [ignoreCase ? node.char.toLowerCase() : node.char] };
    } else if (node.type === 'class' && node.chars.size === 1) {
      next = { ok: true, texts: [...node.chars] };
    } else if (node.type === 'group') {
      const parts = node.alternatives.map((a) => expand(a, ignoreCase));
      const failed = parts.find((p) => !p.ok);
      if (failed !== undefined) return failed;
      next = { ok: true, texts: parts.flatMap((p) => (p.ok ? p.texts : [])) };
    } else if (node.type === 'repeat' && node.max === 1 && node.min === 0) {
      const inner = expand([node.node], ignoreCase);
      if (!inner.ok) return inner;
      next = { ok: true, texts: ['', ...inner.texts] };
    } else if (node.type === 'any') {
      return { ok: false, why: 'an unescaped "." matches any character' };
    } else if (node.type === 'repeat' && isLabelRun([node.node])) {
      return {
        ok: false,
        why: 'it matches exactly one subdomain label, where a corsproof pattern "*." stands for one or more',
      };
    } else {
      return { ok: false, why: 'no corsproof origin or pattern says what this part matches' };
    }
    if (!next.ok) return next;
    const combined = product(texts, next.texts);
    if (!combined.ok) return combined;
    texts = combined.texts;
  }
  return { ok: true, texts };
}

const ANY_SAMPLE = '\u0000';

/** One string the nodes match: the first alternative, the fewest repetitions; the first `.` as `x`. */
function sample(nodes: readonly RegexNode[]): string {
  return sampleOf(nodes).replace(ANY_SAMPLE, 'x').replaceAll(ANY_SAMPLE, '.');
}

function sampleOf(nodes: readonly RegexNode[]): string {
  return nodes
    .map((node): string => {
      switch (node.type) {
        case 'char':
          return node.char;
        case 'any':
          return ANY_SAMPLE;
        case 'class': {
          const chars = [...node.chars];
          return chars.find((c) => /[a-z]/.test(c)) ?? chars[0] ?? '';
        }
        case 'group':
          return sampleOf(node.alternatives[0] ?? []);
        case 'repeat': {
          const once = sampleOf([node.node]);
          return once.repeat(Math.max(node.min, once === '' ? 0 : 1));
        }
        default:
          return '';
      }
    })
    .join('');
}

interface Alternative {
  readonly body: readonly RegexNode[];
  readonly anchoredStart: boolean;
  readonly anchoredEnd: boolean;
}

/** The top-level alternatives with their anchors, a group spanning the whole body opened up. */
function alternatives(top: readonly RegexNode[][], matching: RegexMatching): Alternative[] {
  return top.flatMap((seq): Alternative[] => {
    let i = 0;
    let anchoredStart = matching.impliedStart;
    while (i < seq.length && (seq[i]?.type === 'start' || seq[i]?.type === 'look')) {
      if (seq[i]?.type === 'start') anchoredStart = true;
      i++;
    }
    let j = seq.length;
    let anchoredEnd = matching.impliedEnd;
    while (j > i && seq[j - 1]?.type === 'end') {
      anchoredEnd = true;
      j--;
    }
    const body = seq.slice(i, j);
    const only = body[0];
    if (body.length === 1 && only?.type === 'group') {
      return alternatives(only.alternatives, {
        ...matching,
        impliedStart: anchoredStart,
        impliedEnd: anchoredEnd,
      });
    }
    return [{ body, anchoredStart, anchoredEnd }];
  });
}

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443 };

/**
 * Whether the expression matches every origin `pattern` stands for that a browser can send, by
 * sampling: subdomains of one and three labels, and every port.
 */
function coversPattern(regex: RegExp, pattern: string, notes: string[]): boolean {
  const scheme = pattern.slice(0, pattern.indexOf(':'));
  const withHosts = pattern.includes(SUBDOMAINS)
    ? ['a', 'api-2', 'x.y.z0'].map((l) => pattern.replace(SUBDOMAINS, `${l}.`))
    : [pattern];
  for (const host of withHosts) {
    if (!host.endsWith(ANY_PORT)) {
      if (!regex.test(host)) return false;
      continue;
    }
    const base = host.slice(0, -ANY_PORT.length);
    if (!regex.test(base)) return false;
    for (let port = 1; port <= 65535; port++) {
      if (port !== DEFAULT_PORT[scheme] && !regex.test(`${base}:${port}`)) return false;
    }
  }
  if (pattern.includes(SUBDOMAINS)) {
    for (const label of ['under_score', 'xn--bcher-kva']) {
      if (!regex.test(pattern.replace(SUBDOMAINS, `${label}.`).replace(ANY_PORT, ''))) {
        notes.push(
          `${pattern} also allows subdomains like ${JSON.stringify(`${label}.`)}, which the original expression refuses`,
        );
      }
    }
  }
  return true;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;

/**
 * The origins a regular expression of allowed origins certainly allows, and what else it matches.
 *
 * @example
 * originsOfRegex('^https://([a-z0-9-]+\\.)+example\\.com$', { impliedStart: false, impliedEnd: false, ignoreCase: false })
 * // { origins: ['https://*.example.com'], problems: [], notes: [] }
 */
export function originsOfRegex(source: string, matching: RegexMatching): RegexOrigins {
  const result: RegexOrigins = { origins: [], problems: [], notes: [] };
  const shown = JSON.stringify(source);
  let parsed: ReturnType<typeof parseRegex>;
  try {
    parsed = parseRegex(source, matching.ignoreCase);
  } catch (error) {
    if (!(error instanceof RegexSyntaxError)) throw error;
    result.problems.push({
      id: 'regex-not-expressible',
      severity: 'info',
      message: `the origin expression ${shown} uses syntax corsproof does not read (${error.expected}); none of its origins were imported`,
    });
    return result;
  }
  const regex = toJsRegExp(source, parsed.ignoreCase);
  for (const alt of alternatives(parsed.alternatives, matching)) {
    const example = sample(alt.body);
    // The origin as written, dots kept, for the anchoring examples.
    const written = sampleOf(alt.body).replaceAll(ANY_SAMPLE, '.');
    const hasScheme = SCHEME.test(example);
    if (!alt.anchoredEnd) {
      result.problems.push({
        id: 'prefix-match-bypass',
        severity: 'medium',
        message: `the origin expression ${shown} is not anchored at the end, so it also matches ${hasScheme ? '' : 'https://x'}${written}.evil.test`,
      });
    }
    if (!alt.anchoredStart && !hasScheme) {
      const bypass = alt.anchoredEnd ? 'suffix-match-bypass' : 'substring-match-bypass';
      result.problems.push({
        id: bypass,
        severity: 'medium',
        message: `the origin expression ${shown} is not anchored at the start, so it also matches ${written.startsWith('.') ? 'http' : 'https'}://evil${written}`,
      });
    }
    const expansion = expand(alt.body, parsed.ignoreCase);
    if (!expansion.ok) {
      const dot = /unescaped/.test(expansion.why);
      result.problems.push({
        id: dot ? 'unescaped-dot-regex' : 'regex-not-expressible',
        severity: dot ? 'medium' : 'info',
        message: `the origin expression ${shown} was not imported: ${expansion.why}${dot ? ` (it matches ${example})` : ''}`,
      });
      continue;
    }
    for (const text of expansion.texts) {
      const spec = parseOriginSpec(text);
      if (!spec.ok) {
        if (!hasScheme) continue; // reported above: it matches within any origin
        result.notes.push(
          `${JSON.stringify(text)}, matched by ${shown}, is not an origin a browser sends; left out`,
        );
        continue;
      }
      const canonical = spec.spec.kind === 'exact' ? spec.spec.serialized : spec.spec.canonical;
      if (canonical !== text) {
        result.notes.push(
          `${JSON.stringify(text)}, matched by ${shown}, is never sent by a browser (it sends ${canonical}); left out`,
        );
        continue;
      }
      if (regex === null || !coversPattern(regex, text, result.notes)) {
        result.problems.push({
          id: 'regex-not-expressible',
          severity: 'info',
          message: `the origin expression ${shown} matches only some of ${text}; it was not imported`,
        });
        continue;
      }
      if (!result.origins.includes(text)) result.origins.push(text);
    }
  }
  return result;
}
