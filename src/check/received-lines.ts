/**
 * A response's header lines as undici hands them over (raw buffers: name, value, name, value, ...)
 * into the strings the checker works with, exactly as received (latin1, order and repeats kept).
 *
 * A server answers the same request with the same head, response after response (a Date changes
 * once a second), so the checker keeps two things from the responses before:
 * - header names and values decoded lately (`recentLatin1`): comparing a part's bytes with a
 *   string made before costs less than making a new one;
 * - recent heads (`HEADS`): a head whose every part is one of theirs gets their lines, shared and
 *   frozen, so that what is judged from them (the CORS check, the preflight, ...) is judged once.
 *
 * Each part is compared on its own: the parts are not always views into one buffer of the head as
 * sent (undici copies a part split between two reads; a mock or an interceptor makes its own).
 */
import type { HeaderEntry } from 'corsproof/spec';

/** undici's raw header parts: buffers from the parser (strings when a caller dispatched its own). */
export type RawHeaders = readonly (Buffer | string)[];

/**
 * A head kept: the text of each of its parts, their bytes one after the other, and its lines
 * (frozen: results share them).
 */
interface KeptHead {
  readonly parts: readonly string[];
  readonly bytes: Buffer;
  readonly lines: readonly HeaderEntry[];
}

/**
 * A head's parts copied one after the other, to compare with a kept head's bytes in one native
 * call: a part is copied natively too, where comparing it byte by byte in script costs about 2 ns
 * a byte. Heads longer than this are not kept.
 */
const JOINED = Buffer.alloc(16 * 1024);

/**
 * Heads kept, the most recent HEADS_KEPT: a preflighted check's two answers, or a few endpoints'
 * answers in turn, keep one each. A head is kept the second time it comes without a match (as
 * `recentLatin1` admits strings): one seen once (a redirect, a new endpoint) costs no copy, nor
 * does a head whose Date changes every response; and it takes the place of a kept head of the
 * same shape (the same head with a Date of a second before), so stale heads do not pile up.
 */
const HEADS_KEPT = 8;
const HEADS: KeptHead[] = [];
/** Where the next head kept goes once HEADS is full. */
let nextKept = 0;
/** The parts of the last heads that matched none kept, one per shape: a head that comes again is kept. */
const HEADS_MISSED = new Array<readonly string[] | null>(HEADS_KEPT).fill(null);
let nextMissed = 0;

/**
 * The response's header lines, as received: the same (frozen) array as a kept head's when every
 * part has that head's length and the parts' bytes, one after the other, are that head's;
 * otherwise each part decoded through `recentLatin1`.
 */
export function receivedLines(raw: RawHeaders): readonly HeaderEntry[] {
  const count = raw.length & ~1;
  if (count === 0) return [];
  const size = joinedSize(raw, count);
  if (size !== -1) {
    let joined = false;
    for (let i = 0; i < HEADS.length; i++) {
      const kept = HEADS[i] as KeptHead;
      if (kept.bytes.length !== size || !sameLengths(raw, kept.parts)) continue;
      if (!joined) join(raw, count);
      joined = true;
      if (JOINED.compare(kept.bytes, 0, size, 0, size) === 0) return kept.lines;
    }
  }
  const parts = new Array<string>(count);
  for (let i = 0; i < count; i++) parts[i] = decodeLatin1(raw[i] as Buffer | string);
  const lines = linesOf(parts);
  if (size === -1) return lines;
  // The last head missed of this shape: the same head again is kept; another (a new Date) takes
  // its place, so that one head's variants do not fill the list.
  const missed = HEADS_MISSED.findIndex((before) => before !== null && sameShape(before, parts));
  if (missed === -1 || !sameParts(HEADS_MISSED[missed] as readonly string[], parts)) {
    if (missed !== -1) HEADS_MISSED[missed] = parts;
    else {
      HEADS_MISSED[nextMissed] = parts;
      nextMissed = (nextMissed + 1) % HEADS_KEPT;
    }
    return lines;
  }
  HEADS_MISSED[missed] = null;
  for (const line of lines) Object.freeze(line);
  join(raw, count);
  const kept: KeptHead = {
    parts,
    bytes: Buffer.from(JOINED.subarray(0, size)),
    lines: Object.freeze(lines),
  };
  // The head it replaces, whose Date was another, is not kept beside it.
  const stale = HEADS.findIndex((before) => sameShape(before.parts, parts));
  if (stale !== -1) HEADS[stale] = kept;
  else if (HEADS.length < HEADS_KEPT) HEADS.push(kept);
  else {
    HEADS[nextKept] = kept;
    nextKept = (nextKept + 1) % HEADS_KEPT;
  }
  return lines;
}

/** The parts' bytes in all, or -1 when a part is a string or they do not fit JOINED. */
function joinedSize(raw: RawHeaders, count: number): number {
  let size = 0;
  for (let i = 0; i < count; i++) {
    const part = raw[i] as Buffer | string;
    if (typeof part === 'string') return -1;
    size += part.length;
  }
  return size <= JOINED.length ? size : -1;
}

/** Copies the parts (all buffers, `joinedSize` said) into JOINED, one after the other. */
function join(raw: RawHeaders, count: number): void {
  let at = 0;
  for (let i = 0; i < count; i++) {
    const part = raw[i] as Buffer;
    JOINED.set(part, at);
    at += part.length;
  }
}

/** Whether each part has the length of its place's text. */
function sameLengths(raw: RawHeaders, texts: readonly string[]): boolean {
  if (texts.length !== (raw.length & ~1)) return false;
  for (let i = 0; i < texts.length; i++) {
    if ((raw[i] as Buffer).length !== (texts[i] as string).length) return false;
  }
  return true;
}

/** Whether two heads' parts have the same lengths: the same head, but for a Date or a count. */
function sameShape(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if ((a[i] as string).length !== (b[i] as string).length) return false;
  return true;
}

function sameParts(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function linesOf(parts: readonly string[]): HeaderEntry[] {
  const out = new Array<HeaderEntry>(parts.length >> 1);
  for (let i = 0; i < parts.length; i += 2) {
    out[i >> 1] = [parts[i] as string, parts[i + 1] as string];
  }
  return out;
}

function decodeLatin1(part: Buffer | string): string {
  return typeof part === 'string' ? part : recentLatin1(part);
}

/**
 * Header names and values decoded lately, in a table of DECODED_SLOTS by a hash of their length
 * and four of their bytes (the last, and a quarter, half and three quarters of the way: the
 * Access-Control-Allow-* names differ only past the middle). A server sends the same lines
 * response after response (the names always, most values too), and comparing a part's bytes with
 * a string already made costs less than a native call to make a new one, and makes no garbage. A
 * part that does not match is decoded, and takes the slot only when its hash is the one the slot
 * last missed: a value sent once (a Date, a request id) is not kept, so it neither evicts a line
 * that repeats nor is held until the collector promotes it. A string returned is always the
 * part's exact latin1 decoding.
 */
const DECODED_SLOTS = 1024;
const DECODED = new Array<string>(DECODED_SLOTS).fill('');
/** The hash of each slot's string: a part with another is a miss without comparing bytes. */
const KEPT = new Int32Array(DECODED_SLOTS);
/** The hash of the part each slot last missed, which takes the slot if it comes again. */
const MISSED = new Int32Array(DECODED_SLOTS);
/** Longer parts (cookies, policies) are decoded each time: rarely repeated, costly to compare. */
const DECODED_MAX_LENGTH = 64;

/**
 * The UTF-8 text of a short body (a preview a server sends again and again, like `ok`), through
 * the same table: a string the table hands back is the bytes' latin1 decoding, which is their
 * UTF-8 decoding too when every one of them is ASCII.
 */
export function recentUtf8(part: Buffer): string {
  if (part.length > DECODED_MAX_LENGTH) return part.toString('utf8');
  const text = recentLatin1(part);
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return part.toString('utf8');
  }
  return text;
}

export function recentLatin1(part: Buffer): string {
  const length = part.length;
  if (length === 0 || length > DECODED_MAX_LENGTH) return part.toString('latin1');
  let hash = length;
  hash = hash * 31 + (part[length - 1] as number);
  hash = hash * 31 + (part[length >> 2] as number);
  hash = hash * 31 + (part[length >> 1] as number);
  hash = hash * 31 + (part[(length * 3) >> 2] as number);
  const slot = (hash ^ (hash >>> 10)) & (DECODED_SLOTS - 1);
  const full = hash | 0;
  const known = DECODED[slot] as string;
  if (KEPT[slot] === full && known.length === length) {
    let i = 0;
    while (i < length && known.charCodeAt(i) === part[i]) i++;
    if (i === length) return known;
  }
  const decoded = part.toString('latin1');
  if (MISSED[slot] === full) {
    DECODED[slot] = decoded;
    KEPT[slot] = full;
  } else {
    MISSED[slot] = full;
  }
  return decoded;
}
