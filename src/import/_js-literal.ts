/**
 * JavaScript object literals as `cors(...)` options are written: strings, template strings without
 * substitutions, numbers, booleans, null, undefined, arrays, objects, regular expression literals
 * and `new RegExp('...', 'flags')`. Names (`process.env.X`) and functions are kept as unknown.
 * Nothing is evaluated; JSON is a special case.
 */
import { Scanner } from './_scanner.js';

export type JsValue = (
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string }
  | { readonly kind: 'array'; readonly items: readonly JsValue[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, JsValue> }
  /** A name, call or function the importer does not follow. */
  | { readonly kind: 'unknown'; readonly text: string }
) & { readonly offset: number };

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

export class JsReader extends Scanner {
  constructor(source: string, text: string) {
    super(source, text, '//');
  }

  value(): JsValue {
    this.skip();
    const offset = this.at;
    const c = this.peek();
    if (c === '"' || c === "'" || c === '`') return { kind: 'str', value: this.string(), offset };
    if (c === '[') return this.array(offset);
    if (c === '{') return this.object(offset);
    if (c === '/') return this.regex(offset);
    const num = this.number();
    if (num !== undefined) return { kind: 'num', value: num, offset };
    if (this.accept('new RegExp')) return this.regexConstructor(offset);
    const name = this.name();
    if (name === undefined)
      this.fail('a value (a string, number, array, object, true, false or /regex/)');
    if (name === 'true' || name === 'false')
      return { kind: 'bool', value: name === 'true', offset };
    if (name === 'null' || name === 'undefined') return { kind: 'null', offset };
    this.skipUnknown();
    return { kind: 'unknown', text: this.text.slice(offset, this.at).trim(), offset };
  }

  /** Skips the rest of an expression the importer does not read (a call, an arrow function). */
  private skipUnknown(): void {
    let depth = 0;
    for (;;) {
      this.skip();
      const c = this.peek();
      if (c === '' || (depth === 0 && (c === ',' || c === '}' || c === ']' || c === ')'))) return;
      if (c === '"' || c === "'" || c === '`') {
        this.string();
        continue;
      }
      if (c === '(' || c === '{' || c === '[') depth++;
      if (c === ')' || c === '}' || c === ']') depth--;
      this.at++;
    }
  }

  private string(): string {
    const start = this.at;
    const quote = this.text[this.at++] as string;
    let out = '';
    for (;;) {
      const ch = this.text[this.at];
      if (ch === undefined || (ch === '\n' && quote !== '`'))
        this.fail(`${quote} closing the string`, start);
      this.at++;
      if (ch === quote) return out;
      if (quote === '`' && ch === '$' && this.peek() === '{')
        this.fail('a template string without substitutions', this.at - 1);
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = this.text[this.at++] ?? '';
      if (next === 'x' || next === 'u') {
        const len = next === 'x' ? 2 : 4;
        out += String.fromCharCode(Number.parseInt(this.text.slice(this.at, this.at + len), 16));
        this.at += len;
      } else out += ESCAPES[next] ?? next;
    }
  }

  private regex(offset: number): JsValue {
    this.at++;
    let inClass = false;
    let source = '';
    for (;;) {
      const ch = this.text[this.at];
      if (ch === undefined || ch === '\n') this.fail('"/" closing the regular expression', offset);
      this.at++;
      if (ch === '\\') {
        source += ch + (this.text[this.at++] ?? '');
        continue;
      }
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) break;
      source += ch;
    }
    const flags = (/^[dgimsuvy]*/.exec(this.text.slice(this.at)) as RegExpExecArray)[0];
    this.at += flags.length;
    return { kind: 'regex', source, flags, offset };
  }

  private regexConstructor(offset: number): JsValue {
    this.expect('(');
    const source = this.value();
    if (source.kind !== 'str') this.fail('a string with the expression', source.offset);
    let flags = '';
    if (this.accept(',')) {
      const f = this.value();
      if (f.kind !== 'str') this.fail('a string of flags', f.offset);
      flags = f.value;
    }
    this.expect(')');
    return { kind: 'regex', source: source.value, flags, offset };
  }

  private array(offset: number): JsValue {
    this.at++;
    const items: JsValue[] = [];
    while (!this.accept(']')) {
      items.push(this.value());
      if (!this.accept(',')) {
        this.expect(']', '"," or "]"');
        break;
      }
    }
    return { kind: 'array', items, offset };
  }

  private object(offset: number): JsValue {
    this.at++;
    const entries = new Map<string, JsValue>();
    while (!this.accept('}')) {
      this.skip();
      const c = this.peek();
      let key: string | undefined;
      if (c === '"' || c === "'") key = this.string();
      else key = this.name();
      if (key === undefined) this.fail('a property name');
      this.skip();
      if (this.peek() === '(') {
        // A method (origin(origin, cb) { ... }): a function the importer does not follow.
        const start = this.at;
        this.skipUnknown();
        entries.set(key, { kind: 'unknown', text: this.text.slice(start, this.at), offset: start });
      } else {
        this.expect(':', `":" after the property ${JSON.stringify(key)}`);
        entries.set(key, this.value());
      }
      if (!this.accept(',')) {
        this.expect('}', '"," or "}"');
        break;
      }
    }
    return { kind: 'object', entries, offset };
  }
}
