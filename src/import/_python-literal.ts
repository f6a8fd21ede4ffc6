/**
 * Python literals as settings files and `CORS(...)` calls write them: strings (raw, adjacent ones
 * joined), numbers (with `*` and `+`), True, False, None, lists, tuples, dicts, names and calls
 * such as `re.compile(r"...", re.I)`. Nothing is evaluated.
 */
import { Scanner } from './_scanner.js';

export type PyValue = (
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'list'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyValue, PyValue])[] }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'flags'; readonly names: readonly string[] }
  | { readonly kind: 'call'; readonly call: PyCall }
) & { readonly offset: number };

export interface PyCall {
  readonly callee: string;
  readonly args: readonly PyValue[];
  readonly kwargs: ReadonlyMap<string, PyValue>;
  /** `**name` arguments, in order. */
  readonly spreads: readonly PyValue[];
  readonly offset: number;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

export class PythonReader extends Scanner {
  constructor(source: string, text: string) {
    super(source, text, '#');
  }

  /** One expression: an atom, or atoms joined by `|` (flags), `*` or `+` (numbers). */
  value(): PyValue {
    const first = this.atom();
    this.skip();
    const op = this.peek();
    if (op === '|' && first.kind === 'name') {
      const names = [first.name];
      while (this.accept('|')) {
        const next = this.name();
        if (next === undefined) this.fail('a flag such as re.IGNORECASE after "|"');
        names.push(next);
      }
      return { kind: 'flags', names, offset: first.offset };
    }
    if ((op === '*' || op === '+') && first.kind === 'num' && this.peek(2) !== '**') {
      let total = first.value;
      while (this.peek() === '*' || this.peek() === '+') {
        const multiply = this.peek() === '*';
        this.at++;
        const at = this.at;
        const next = this.atom();
        if (next.kind !== 'num') this.fail('a number', at);
        total = multiply ? total * next.value : total + next.value;
        this.skip();
      }
      return { kind: 'num', value: total, offset: first.offset };
    }
    return first;
  }

  private atom(): PyValue {
    this.skip();
    const offset = this.at;
    const c = this.peek();
    if (/^[rRbBuUfF]{0,2}['"]/.test(this.text.slice(this.at, this.at + 3))) {
      const m = /^[rRbBuUfF]{0,2}(?=['"])/.exec(this.text.slice(this.at)) as RegExpExecArray;
      if (m[0] !== '' || c === '"' || c === "'") return this.strings(offset);
    }
    if (c === '[' || c === '(') return this.sequence(offset, c === '[' ? ']' : ')');
    if (c === '{') return this.dict(offset);
    const num = this.number();
    if (num !== undefined) return { kind: 'num', value: num, offset };
    const name = this.name();
    if (name === undefined)
      this.fail('a Python value (a string, number, list, dict, True, False or None)');
    if (name === 'True' || name === 'False')
      return { kind: 'bool', value: name === 'True', offset };
    if (name === 'None') return { kind: 'none', offset };
    this.skip();
    if (this.peek() === '(')
      return { kind: 'call', call: this.callArguments(name, offset), offset };
    return { kind: 'name', name, offset };
  }

  /** After the callee: `(args, key=value, **spread)`. */
  callArguments(callee: string, offset: number): PyCall {
    this.expect('(');
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    const spreads: PyValue[] = [];
    while (!this.accept(')')) {
      if (this.accept('**')) spreads.push(this.value());
      else {
        const save = this.at;
        const key = this.name();
        this.skip();
        if (key !== undefined && this.peek() === '=' && this.peek(2) !== '==') {
          this.at++;
          kwargs.set(key, this.value());
        } else {
          this.at = save;
          args.push(this.value());
        }
      }
      if (!this.accept(',')) {
        this.expect(')', `"," or ")" in the arguments of ${callee}(...)`);
        break;
      }
    }
    return { callee, args, kwargs, spreads, offset };
  }

  private strings(offset: number): PyValue {
    let value = '';
    do {
      value += this.string();
      this.skip();
    } while (/^[rRbBuU]{0,2}['"]/.test(this.text.slice(this.at, this.at + 3)));
    return { kind: 'str', value, offset };
  }

  private string(): string {
    const prefix = (/^[rRbBuUfF]{0,2}/.exec(this.text.slice(this.at)) as RegExpExecArray)[0];
    const raw = /r/i.test(prefix);
    this.at += prefix.length;
    const start = this.at;
    const triple = this.peek(3) === '"""' || this.peek(3) === "'''";
    const quote = triple ? this.peek(3) : this.peek();
    this.at += quote.length;
    let out = '';
    for (;;) {
      if (this.at >= this.text.length || (!triple && this.text[this.at] === '\n')) {
        this.fail(`${quote} closing the string`, start);
      }
      if (this.text.startsWith(quote, this.at)) {
        this.at += quote.length;
        return out;
      }
      const ch = this.text[this.at] as string;
      if (ch === '\\') {
        const next = this.text[this.at + 1] ?? '';
        if (raw) {
          out += ch + next;
        } else if (next === 'x' || next === 'u') {
          const len = next === 'x' ? 2 : 4;
          out += String.fromCharCode(
            Number.parseInt(this.text.slice(this.at + 2, this.at + 2 + len), 16),
          );
          this.at += len;
        } else if (next === '\n') {
          // a line continuation inside the string
        } else out += ESCAPES[next] ?? ch + next;
        this.at += 2;
        continue;
      }
      out += ch;
      this.at++;
    }
  }

  private sequence(offset: number, close: string): PyValue {
    this.at++;
    const items: PyValue[] = [];
    while (!this.accept(close)) {
      items.push(this.value());
      if (!this.accept(',')) {
        this.expect(close, `"," or "${close}"`);
        break;
      }
    }
    // `(x)` is x itself, not a tuple.
    if (close === ')' && items.length === 1 && this.text[this.at - 2] !== ',')
      return items[0] as PyValue;
    return { kind: 'list', items, offset };
  }

  private dict(offset: number): PyValue {
    this.at++;
    const entries: (readonly [PyValue, PyValue])[] = [];
    while (!this.accept('}')) {
      const key = this.value();
      this.expect(':', '":" after a dict key');
      entries.push([key, this.value()]);
      if (!this.accept(',')) {
        this.expect('}', '"," or "}"');
        break;
      }
    }
    return { kind: 'dict', entries, offset };
  }
}

/**
 * Top-level assignments `NAME = value` (at the start of a line), parsed where they are literals;
 * others are skipped unless `required`. Later assignments win, as Python runs them.
 */
export function pythonAssignments(
  source: string,
  text: string,
  /** Names whose value must be read: an error there is thrown, not skipped. */
  required: (name: string) => boolean = () => false,
): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  for (const m of text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(?!=)/gm)) {
    const reader = new PythonReader(source, text);
    reader.at = m.index + m[0].length;
    try {
      out.set(m[1] as string, reader.value());
    } catch (error) {
      if (required(m[1] as string)) throw error;
      out.delete(m[1] as string);
    }
  }
  return out;
}
