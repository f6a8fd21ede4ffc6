import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { pathRegions } from '../../generate/targets/_python.js';
import { readRegionTable } from './_flask-regions.js';

const ANY = { origins: '*' };

/** The regexes of the regions that get a policy, as the flask target writes them. */
const regexesOf = (paths: Record<string, unknown>, fallback: unknown = false) =>
  pathRegions(parsePolicyFile({ default: fallback, paths } as never))
    .filter((r) => r.policy !== null)
    .map((r) => r.regex);

describe('readRegionTable', () => {
  it('reads the generated regions back into their patterns, those without CORS included', () => {
    const regexes = regexesOf(
      { '/orders/:id': ANY, '/orders/*': false, '/a.b/c': ANY, '/*': false },
      ANY,
    );
    expect(readRegionTable(regexes)).toEqual({
      patterns: ['/orders/:p1', '/orders/*', '/a.b/c', '/*'],
      regions: ['/orders/:p1', '/a.b/c', null],
    });
  });

  it('reads nothing from a region whose regex was edited', () => {
    const regexes = regexesOf({ '/api/*': ANY, '/health': ANY });
    const widened = regexes.map((r) => r.replace('/health\\Z', '/health.*\\Z'));
    expect(readRegionTable(widened)).toBeNull();
    const reordered = [...regexes].reverse();
    expect(readRegionTable(reordered)).toBeNull();
  });

  it('reads nothing from hand-written resources', () => {
    expect(readRegionTable(['/api/*'])).toBeNull();
    expect(readRegionTable([])).toBeNull();
  });
});
