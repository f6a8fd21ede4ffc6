/**
 * Origins to try against a policy: samples each entry allows, and the look-alikes a hand-written
 * configuration (a regex in nginx, a `startswith` in Python) tends to let through by mistake.
 * Pure: whether each sample is allowed is for the policy to say, not for this module.
 */
import type { ParsedOriginSpec } from 'corsproof';
import { parseOrigin } from 'corsproof/spec';

export interface OriginSample {
  /** The serialized origin, as a browser sends it. */
  readonly origin: string;
  /** Where it comes from, for reports (`one-label subdomain of https://*.example.com`). */
  readonly note: string;
  /** Whether it is meant as an allowed sample (true) or a look-alike (false). */
  readonly sample: boolean;
}

/** The origin an `origins: '*'` policy is tried with. */
export const ANY_ORIGIN_SAMPLE = 'https://corsproof-conform.example';

/** The host suffix of look-alikes: `https://app.example.com.corsproof-evil.test`. */
const EVIL_SUFFIX = '.corsproof-evil.test';
const EVIL_PREFIX = 'corsproofevil';

/** Ports tried for `:*`; neither is a default port, so the port is really sent. */
const ANY_PORTS = [8443, 3000] as const;

function portPart(port: number | null): string {
  return port === null ? '' : `:${port}`;
}

function otherScheme(scheme: string): string {
  return scheme === 'https' ? 'http' : 'https';
}

/** A port that differs from `port` (null: the default one). */
function otherPort(scheme: string, port: number | null): number | null {
  if (port !== null) return null;
  return scheme === 'https' ? 8443 : 8080;
}

function exactParts(serialized: string): { scheme: string; host: string; port: number | null } {
  const url = new URL(serialized);
  return {
    scheme: url.protocol.slice(0, -1),
    host: url.hostname,
    port: url.port === '' ? null : Number(url.port),
  };
}

function lookAlikes(scheme: string, host: string, port: number | null, of: string): OriginSample[] {
  const other = otherPort(scheme, port);
  return [
    {
      origin: `${scheme}://${host}${EVIL_SUFFIX}${portPart(port)}`,
      note: `suffix look-alike of ${of}`,
      sample: false,
    },
    {
      origin: `${scheme}://${EVIL_PREFIX}${host}${portPart(port)}`,
      note: `prefix look-alike of ${of}`,
      sample: false,
    },
    {
      origin: `${otherScheme(scheme)}://${host}${portPart(port)}`,
      note: `other scheme than ${of}`,
      sample: false,
    },
    {
      origin: `${scheme}://${host}${portPart(other)}`,
      note: `other port than ${of}`,
      sample: false,
    },
  ];
}

function samplesOfExact(serialized: string): OriginSample[] {
  const { scheme, host, port } = exactParts(serialized);
  return [
    { origin: serialized, note: `listed origin ${serialized}`, sample: true },
    ...lookAlikes(scheme, host, port, serialized),
  ];
}

function samplesOfPattern(spec: Extract<ParsedOriginSpec, { kind: 'pattern' }>): OriginSample[] {
  const { scheme, host, canonical } = spec;
  const ports: readonly [number | null, number | null] =
    spec.port === '*' ? ANY_PORTS : [spec.port, spec.port];
  const [first, second] = ports;
  const out: OriginSample[] = [];
  if (spec.anySubdomain) {
    out.push(
      {
        origin: `${scheme}://conform.${host}${portPart(first)}`,
        note: `one-label subdomain for ${canonical}`,
        sample: true,
      },
      {
        origin: `${scheme}://deep.conform.${host}${portPart(second)}`,
        note: `two-label subdomain for ${canonical}`,
        sample: true,
      },
      {
        origin: `${scheme}://${host}${portPart(first)}`,
        note: `the apex of ${canonical}, which the pattern leaves out`,
        sample: false,
      },
    );
  } else {
    out.push(
      {
        origin: `${scheme}://${host}${portPart(first)}`,
        note: `a port for ${canonical}`,
        sample: true,
      },
      {
        origin: `${scheme}://${host}${portPart(second)}`,
        note: `another port for ${canonical}`,
        sample: true,
      },
    );
  }
  const sampleHost = spec.anySubdomain ? `conform.${host}` : host;
  const looks = lookAlikes(scheme, sampleHost, first, canonical);
  // With any port allowed there is no "other port" to try.
  return [...out, ...(spec.port === '*' ? looks.slice(0, 3) : looks)];
}

/**
 * The samples and look-alikes of one `origins` entry. Every origin returned is one a browser can
 * send; look-alikes that would not parse (a prefix on an IP address) are left out.
 *
 * @example
 * originSamples(parseOriginSpec('https://*.example.com').spec).map((s) => s.origin)
 * // ['https://conform.example.com', 'https://deep.conform.example.com', 'https://example.com',
 * //  'https://conform.example.com.corsproof-evil.test', ...]
 */
export function originSamples(spec: ParsedOriginSpec): OriginSample[] {
  const samples = spec.kind === 'exact' ? samplesOfExact(spec.serialized) : samplesOfPattern(spec);
  return samples.flatMap((s) => {
    const parsed = parseOrigin(s.origin);
    return parsed.ok && parsed.serialized === s.origin ? [s] : [];
  });
}
