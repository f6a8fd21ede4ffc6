/**
 * What a test does when a server it needs (PostgreSQL, Redis) is not there: locally it skips with
 * a message, so a machine without them still runs the rest; under `CI`, where every machine runs
 * both, it fails, so a broken service cannot turn a run green by skipping.
 */

/** Whether this run is CI's: `CI` set to anything but empty, `0` or `false`. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** `url` without its password, for messages. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** What went wrong, from an error that may have an empty message (Node's AggregateError). */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}

const reported = new Set<string>();

/** Under CI throws; otherwise says once on stderr that the tests needing `service` are skipped. */
export function skipOrFail(
  service: string,
  url: string,
  reason: string,
  variable: string,
): undefined {
  const what = `${service} is not reachable at ${withoutPassword(url)} (${reason})`;
  if (isCi()) {
    throw new Error(`${what}; CI runs every test: start ${service} or set ${variable}`);
  }
  if (!reported.has(service)) {
    reported.add(service);
    process.stderr.write(
      `[skip] ${what}: skipping the tests that need it; start ${service} or set ${variable} to run them\n`,
    );
  }
  return undefined;
}
