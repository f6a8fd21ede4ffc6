/**
 * nginx configuration syntax: directives with their arguments (quotes removed), `{ }` blocks, `if`
 * conditions kept as written, `map` blocks as key-value pairs, comments skipped
 * (https://nginx.org/en/docs/beginners_guide.html#conf_structure).
 */
import { ImportSyntaxError, positionOf } from '../errors.js';

export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly block: readonly Directive[] | null;
  readonly line: number;
  /** For `if`: the condition between the parentheses, as written. */
  readonly condition?: string;
}

/** The index of the ")" closing the condition opened at `open`, quotes and nesting respected. */
function conditionEnd(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === '{' || c === ';') return -1;
  }
  return -1;
}

export function tokenize(text: string): Directive[] {
  let at = 0;
  const fail = (expected: string, offset = at): never => {
    throw new ImportSyntaxError('nginx', text, offset, expected);
  };
  const skip = () => {
    for (;;) {
      while (/\s/.test(text[at] ?? '')) at++;
      if (text[at] !== '#') return;
      while (at < text.length && text[at] !== '\n') at++;
    }
  };
  const word = (): string => {
    const c = text[at];
    if (c === '"' || c === "'") {
      const start = at++;
      let out = '';
      while (text[at] !== c) {
        if (at >= text.length) fail(`${c} closing the string`, start);
        if (text[at] === '\\' && text[at + 1] === c) at++;
        out += text[at++];
      }
      at++;
      return out;
    }
    const start = at;
    while (at < text.length && !/[\s;{}]/.test(text[at] as string)) at++;
    return text.slice(start, at);
  };
  const block = (closing: boolean): Directive[] => {
    const out: Directive[] = [];
    for (;;) {
      skip();
      if (at >= text.length) {
        if (closing) fail('"}" closing the block');
        return out;
      }
      if (text[at] === '}') {
        if (!closing) fail('a directive');
        at++;
        return out;
      }
      const start = at;
      const line = positionOf(text, start).line;
      const name = word();
      if (name === '') fail('a directive name');
      let condition: string | undefined;
      const args: string[] = [];
      if (name === 'if') {
        skip();
        if (text[at] !== '(') fail('"(" after if');
        const end = conditionEnd(text, at);
        if (end === -1) fail('")" closing the if condition');
        condition = text.slice(at + 1, end).trim();
        at = end + 1;
      }
      for (;;) {
        skip();
        const c = text[at];
        if (c === undefined) fail(`";" or "{" after ${name}`);
        if (c === ';') {
          at++;
          out.push({
            name,
            args,
            block: null,
            line,
            ...(condition !== undefined && { condition }),
          });
          break;
        }
        if (c === '{') {
          at++;
          const inner = name === 'map' ? mapBlock() : block(true);
          out.push({
            name,
            args,
            block: inner,
            line,
            ...(condition !== undefined && { condition }),
          });
          break;
        }
        if (c === '}') fail(`";" ending the ${name} directive`);
        args.push(word());
      }
    }
  };
  // A map block holds "key value;" pairs; keys may start with "~" and hold braces in quotes.
  const mapBlock = (): Directive[] => {
    const out: Directive[] = [];
    for (;;) {
      skip();
      if (text[at] === '}') {
        at++;
        return out;
      }
      if (at >= text.length) fail('"}" closing the map');
      const line = positionOf(text, at).line;
      const key = word();
      skip();
      const value = word();
      skip();
      if (text[at] !== ';') fail('";" after the map entry');
      at++;
      out.push({ name: key, args: [value], block: null, line });
    }
  };
  return block(false);
}
