/**
 * Identifiers of stored things: a type prefix and a ULID-style body (48-bit millisecond time, then
 * 80 random bits, in Crockford base32). Sorting ids as strings sorts them by creation time, so the
 * history can page on the id alone; ids made in the same millisecond increase monotonically.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_BITS = 80n;
const RANDOM_MAX = (1n << RANDOM_BITS) - 1n;

/** What an id names; the prefix makes a pasted id self-describing. */
export type IdKind = 'chk' | 'aud' | 'bat' | 'mon' | 'tok' | 'evt' | 'whd';

/** Makes ids from a clock. */
export type IdFactory = (kind: IdKind) => string;

function encode(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET.charAt(Number(rest & 31n)) + out;
    rest >>= 5n;
  }
  return out;
}

/**
 * An id factory on `now` (milliseconds). Within one millisecond (or if the clock steps back) the
 * random part is incremented instead of redrawn, so ids from one factory strictly increase.
 *
 * @example
 * ```ts
 * const newId = createIdFactory(() => Date.now());
 * newId('chk'); // 'chk_01JD3Q6Y8T7X9M2K4P5R6S7V8W'
 * ```
 */
export function createIdFactory(now: () => number): IdFactory {
  let lastTime = -1;
  let lastRandom = 0n;
  return (kind) => {
    let time = now();
    if (time <= lastTime) {
      time = lastTime;
      // 2^80 ids in one millisecond will not happen; wrapping would break the order, so refuse.
      if (lastRandom === RANDOM_MAX)
        throw new Error('corsproof: id space of this millisecond exhausted');
      lastRandom += 1n;
    } else {
      lastTime = time;
      // Leave headroom so increments within a millisecond cannot overflow in practice.
      lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`) >> 1n;
    }
    return `${kind}_${encode(BigInt(time), 10)}${encode(lastRandom, 16)}`;
  };
}
