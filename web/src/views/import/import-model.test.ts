import { describe, expect, it } from 'vitest';
import { IMPORT_SOURCES, importSummary, runImport, SOURCE_EXAMPLES } from './import-model';

describe('runImport', () => {
  it('reads the example of every source and reports the mistake it shows', () => {
    for (const source of IMPORT_SOURCES) {
      const outcome = runImport(source, SOURCE_EXAMPLES[source]);
      expect(outcome.kind, source).toBe('imported');
      if (outcome.kind !== 'imported') continue;
      expect(JSON.parse(outcome.json), source).toHaveProperty('$schema');
      if (source !== 'aspnetcore') expect(outcome.findings.length, source).toBeGreaterThan(0);
    }
  });

  it('reports an unanchored Flask regex as a prefix match, with its line', () => {
    const outcome = runImport('flask', 'CORS(app,\n  origins=[r"https://app\\.example\\.com"])');
    expect(outcome).toMatchObject({
      kind: 'imported',
      findings: [expect.objectContaining({ id: 'prefix-match-bypass' })],
    });
  });

  it('returns input it cannot read as unreadable, with the line', () => {
    const outcome = runImport('nginx', 'server {\n  add_header A b;\n');
    expect(outcome).toMatchObject({ kind: 'unreadable', line: expect.any(Number) });
    expect(importSummary(outcome)).toMatch(/^Could not read the configuration at line \d+\.$/);
  });
});
