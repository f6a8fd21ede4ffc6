/** Reading Python values as the CORS libraries take them: names resolved, shapes checked. */

import type { PyCall, PyValue } from './_python-literal.js';
import { ImportSyntaxError } from './errors.js';

export class PythonValues {
  constructor(
    private readonly source: string,
    private readonly text: string,
    private readonly names: ReadonlyMap<string, PyValue>,
  ) {}

  fail(value: PyValue, expected: string): never {
    throw new ImportSyntaxError(this.source, this.text, value.offset, expected);
  }

  /** The value, a top-level name replaced by what it was assigned (once, no chains of calls). */
  resolve(value: PyValue): PyValue {
    let current = value;
    for (let depth = 0; current.kind === 'name' && depth < 8; depth++) {
      const assigned = this.names.get(current.name);
      if (assigned === undefined) return current;
      current = assigned;
    }
    return current;
  }

  /** `str` or a list/tuple/set of `str`; `'*'` kept as written. */
  strings(value: PyValue, what: string): string[] {
    const v = this.resolve(value);
    if (v.kind === 'str') return [v.value];
    if (v.kind === 'list') return v.items.map((item) => this.string(item, what));
    if (v.kind === 'none') return [];
    return this.fail(v, `${what}: a string or a list of strings`);
  }

  string(value: PyValue, what: string): string {
    const v = this.resolve(value);
    if (v.kind !== 'str') this.fail(v, `${what}: a string`);
    return v.value;
  }

  bool(value: PyValue, what: string): boolean {
    const v = this.resolve(value);
    if (v.kind === 'bool') return v.value;
    if (v.kind === 'num') return v.value !== 0;
    return this.fail(v, `${what}: True or False`);
  }

  /** A number of seconds, `timedelta(seconds=n, minutes=n, hours=n, days=n)` included; None is null. */
  seconds(value: PyValue, what: string): number | null {
    const v = this.resolve(value);
    if (v.kind === 'none') return null;
    if (v.kind === 'num') return v.value;
    if (v.kind === 'str' && /^[0-9]+$/.test(v.value)) return Number(v.value);
    if (v.kind === 'call' && /(^|\.)timedelta$/.test(v.call.callee)) {
      const unit: Record<string, number> = {
        seconds: 1,
        minutes: 60,
        hours: 3600,
        days: 86400,
        weeks: 604800,
      };
      let total = 0;
      for (const [key, amount] of v.call.kwargs) {
        const n = this.resolve(amount);
        if (n.kind !== 'num' || unit[key] === undefined)
          this.fail(amount, `${what}: a number of ${key}`);
        total += n.value * (unit[key] as number);
      }
      return total;
    }
    return this.fail(v, `${what}: a number of seconds or None`);
  }

  /**
   * A regular expression: a string, or `re.compile(pattern, flags)`; case-insensitive when the
   * flags say so.
   */
  regex(value: PyValue, what: string): { source: string; ignoreCase: boolean; compiled: boolean } {
    const v = this.resolve(value);
    if (v.kind === 'str') return { source: v.value, ignoreCase: false, compiled: false };
    if (v.kind === 'call' && /(^|\.)compile$/.test(v.call.callee) && v.call.args[0] !== undefined) {
      const flags = v.call.args[1] ?? v.call.kwargs.get('flags');
      const flagNames =
        flags === undefined
          ? []
          : flags.kind === 'flags'
            ? flags.names
            : flags.kind === 'name'
              ? [flags.name]
              : [];
      const ignoreCase = flagNames.some((f) => /(^|\.)(I|IGNORECASE)$/.test(f));
      return { source: this.string(v.call.args[0], what), ignoreCase, compiled: true };
    }
    return this.fail(v, `${what}: a string or re.compile(...)`);
  }

  /** Keyword arguments of a call, `**name` spreads of dicts and `dict(...)` merged in order. */
  keywords(call: PyCall, unread: PyValue[] = []): Map<string, PyValue> {
    const out = new Map<string, PyValue>();
    const merge = (spread: PyValue): void => {
      const v = this.resolve(spread);
      if (v.kind === 'dict') {
        for (const [k, item] of v.entries) out.set(this.string(k, 'a keyword name'), item);
      } else if (v.kind === 'call' && v.call.callee === 'dict') {
        for (const s of v.call.spreads) merge(s);
        for (const [k, item] of v.call.kwargs) out.set(k, item);
      } else unread.push(spread);
    };
    for (const spread of call.spreads) merge(spread);
    for (const [k, v] of call.kwargs) out.set(k, v);
    return out;
  }
}
