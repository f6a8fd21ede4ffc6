import { describe, expect, it } from 'vitest';
import { contentLines } from './lines.js';

describe('contentLines', () => {
  it('numbers lines as in the file, leaving out blanks and # comments', () => {
    expect(contentLines('# head\r\nfirst\n\n   \n  # indented comment\n  second  \n')).toEqual([
      { line: 2, text: 'first' },
      { line: 6, text: '  second  ' },
    ]);
  });
});
