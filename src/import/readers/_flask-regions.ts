/**
 * The `RESOURCES` table `corsproof generate --for flask` writes: one regex per region of the path
 * table, each `\A`, the readable-path guard, a look-ahead leaving out every earlier pattern in any
 * letter case and with or without a trailing slash, then the pattern's own body and `\Z`; the last
 * region (no body) is every other path. Read back into path patterns only when the patterns read
 * generate these very regexes again, so nothing is imported that the table does not say exactly.
 */
import { parsePolicyFile } from 'corsproof';
import { pathRegions } from '../../generate/targets/_python.js';

/** The regions' patterns in table order; `null` stands for every other path (the default). */
export interface RegionTable {
  /** Every pattern of the table in order, those without a region (no CORS) included. */
  readonly patterns: readonly string[];
  /** For each region given, in order: its pattern, or null for the default region. */
  readonly regions: readonly (string | null)[];
}

/** `\A` and the readable-path guard: the whole regex of the only region of a file without paths. */
const GUARD = pathRegions(parsePolicyFile({ default: false })).at(-1)?.regex ?? '\\A';

const PARAM = '\u0000';

/** A pattern body (see `patternBody` in generate/targets/_python.ts) as its pattern, or null. */
function patternOfBody(body: string): string | null {
  if (body === '/.*') return '/*';
  const rest = body.endsWith('(?:/.*)?');
  // `[^/]+` (a parameter) holds a slash: marked first, so splitting at slashes keeps it whole.
  const path = (rest ? body.slice(0, -'(?:/.*)?'.length) : body).replaceAll('[^/]+', PARAM);
  const segments = path.split('/');
  if (segments.shift() !== '') return null;
  let params = 0;
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === PARAM) out.push(`:p${++params}`);
    else if (/^(?:[^\\^$.|?*+()[\]{}]|\\[\\^$.|?*+()[\]{}])+$/.test(segment))
      out.push(segment.replace(/\\(.)/g, '$1'));
    else return null;
  }
  return `/${[...out, ...(rest ? ['*'] : [])].join('/')}`;
}

/** The earlier bodies a region leaves out, and its own body ('' for the default region). */
function splitRegion(regex: string): { excluded: string[]; body: string } | null {
  if (!regex.startsWith(GUARD)) return null;
  let rest = regex.slice(GUARD.length);
  const excluded: string[] = [];
  if (rest.startsWith('(?!(?ai:')) {
    const end = rest.lastIndexOf('/?\\Z)');
    if (end === -1) return null;
    for (const item of rest.slice('(?!'.length, end).split('/?\\Z|')) {
      if (!item.startsWith('(?ai:') || !item.endsWith(')')) return null;
      excluded.push(item.slice('(?ai:'.length, -1));
    }
    rest = rest.slice(end + '/?\\Z)'.length);
  }
  if (rest === '') return { excluded, body: '' };
  return rest.endsWith('\\Z') ? { excluded, body: rest.slice(0, -2) } : null;
}

/**
 * The path table of generated `RESOURCES` regexes (in dict order), or null where they are not
 * exactly what the generator writes for some list of patterns.
 */
export function readRegionTable(regexes: readonly string[]): RegionTable | null {
  const split = regexes.map(splitRegion);
  if (split.length === 0 || split.some((s) => s === null)) return null;
  const last = split[split.length - 1] as { excluded: string[]; body: string };
  const bodies = last.body === '' ? last.excluded : [...last.excluded, last.body];
  const patterns = bodies.map(patternOfBody);
  if (patterns.some((p) => p === null)) return null;
  const regions = split.map((s) => {
    const { body, excluded } = s as { excluded: string[]; body: string };
    return body === '' ? null : (patterns[excluded.length] ?? null);
  });
  // Proof: the patterns read, with these regions given a policy, generate the same regexes.
  let file: ReturnType<typeof parsePolicyFile>;
  try {
    file = parsePolicyFile({
      default: regions.includes(null) ? { origins: '*' } : false,
      paths: Object.fromEntries(
        (patterns as string[]).map((p) => [p, regions.includes(p) ? { origins: '*' } : false]),
      ),
    });
  } catch {
    return null; // not patterns a policy file holds, so not the generator's
  }
  const again = pathRegions(file)
    .filter((r) => r.policy !== null)
    .map((r) => r.regex);
  if (again.length !== regexes.length || again.some((r, i) => r !== regexes[i])) return null;
  return { patterns: patterns as string[], regions };
}
