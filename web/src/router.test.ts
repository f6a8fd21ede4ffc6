import { describe, expect, it } from 'vitest';
import { parseRoute, viewHref } from './router';

describe('parseRoute', () => {
  it('routes #/generate and #/import to the views that run in the page', () => {
    expect(parseRoute('#/generate')).toEqual({ view: 'generate' });
    expect(parseRoute('#/import/')).toEqual({ view: 'import' });
    expect(viewHref('generate')).toBe('#/generate');
    expect(viewHref('import')).toBe('#/import');
  });

  it('has no records under #/generate or #/import: a path below them is not found', () => {
    expect(parseRoute('#/generate/abc')).toEqual({ view: 'not-found', path: '/generate/abc' });
    expect(parseRoute('#/import/abc')).toEqual({ view: 'not-found', path: '/import/abc' });
  });

  it('still routes the stored records and the check page', () => {
    expect(parseRoute('')).toEqual({ view: 'check', id: null });
    expect(parseRoute('#/audits/aud_1')).toEqual({ view: 'audit', id: 'aud_1' });
  });
});
