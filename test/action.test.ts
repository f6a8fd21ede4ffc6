/**
 * The GitHub Action (action.yml, composite): GitHub refuses a file that is not valid YAML and runs
 * an expression over an undeclared input as empty, so both are checked here, where CI sees them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

const text = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');

describe('action.yml', () => {
  const document = parseDocument(text);

  it('is valid YAML', () => {
    expect(document.errors.map((e) => e.message)).toEqual([]);
  });

  it('declares every input its steps read', () => {
    const declared = Object.keys((document.toJS() as { inputs: object }).inputs);
    const read = [...text.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(declared, `inputs.${name}`).toContain(name);
  });
});
