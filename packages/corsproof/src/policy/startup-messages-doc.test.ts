import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STARTUP_MESSAGES as EDGE_MESSAGES } from './startup-messages.edge.js';
import { STARTUP_MESSAGES } from './startup-messages.js';
import { EDGE_OPT_INS, renderErrorsDoc } from './startup-messages-doc.js';

const DOC = fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url));

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describe('docs/errors.md', () => {
  it('is what startup-messages.ts says (node packages/corsproof/scripts/write-errors-doc.mjs)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderErrorsDoc());
  });

  it('has the entry every short edge message links to', () => {
    const anchors = new Set(
      renderErrorsDoc()
        .split('\n')
        .filter((l) => l.startsWith('### '))
        .map((l) => anchor(l.slice(4))),
    );
    const links = [
      EDGE_MESSAGES.POLICY_INVALID(1).fix,
      EDGE_MESSAGES.POLICY_UNKNOWN([]).fix,
      EDGE_MESSAGES.POLICY_DEFAULT_MISSING().fix,
      EDGE_MESSAGES.VALIDATED_POLICY_INVALID('edited', 1, 1).fix,
      ...['PolicyValidation', 'PathTables', 'DecisionLog'].map(
        (part) =>
          `see https://github.com/corsproof/corsproof/blob/main/docs/errors.md#${part.toLowerCase()}absenterror`,
      ),
    ];
    for (const link of links) {
      expect(link).toMatch(
        /^see https:\/\/github\.com\/corsproof\/corsproof\/blob\/main\/docs\/errors\.md#/,
      );
      expect(anchors).toContain(link.slice(link.indexOf('#') + 1));
    }
    expect(Object.keys(EDGE_MESSAGES).sort()).toEqual(Object.keys(STARTUP_MESSAGES).sort());
    expect(EDGE_OPT_INS.map(([part]) => part).sort()).toEqual([
      'DecisionLog',
      'PathTables',
      'PolicyValidation',
    ]);
  });
});
