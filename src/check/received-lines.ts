/**
 * A response's header lines as undici hands them over (raw buffers: name, value, name, value, ...)
 * into the strings the checker works with, exactly as received (latin1, order and repeats kept).
 *
 * A server answers the same request with the same head, byte for byte, response after response
 * (a Date changes once a second). Decoding 20 parts one by one costs more than the rest of reading
 * the response, so the checker keeps two things from the responses before:
 * - recent heads as a whole (`HEADS`): a head byte for byte one of them has its lines, shared
 *   and frozen;
 * - header names and values decoded lately (`recentLatin1`), for a head that differs in a line.
 */
import type { HeaderEntry } from 'corsproof/spec';

/** undici's raw header parts: buffers from the parser (strings when a caller dispatched its own). */
export type RawHeaders = readonly (Buffer | string)[];

/**
 * A head kept: its bytes from the start of its first name to the end of its last value, each
 * part's length, and its lines (frozen: results share them).
 */
interface KeptHead {
  readonly bytes: Buffer;
  readonly lengths: Int32Array;
  readonly lines: readonly HeaderEntry[];
}

/**
 * Heads kept, the most recent HEADS_KEPT: a preflighted check's two answers, or a few endpoints'
 * answers in turn, keep one each. A head is kept the second time its number of parts and size
 * are seen without a match (as `recentLatin1` admits strings): one seen once (a redirect, a new
 * endpoint) costs no copy, and a head whose Date changed replaces the one it was.
 */
const HEADS_KEPT = 8;
const HEADS: KeptHead[] = [];
/** Where the next head kept goes once HEADS is full. */
let nextKept = 0;
/** The number of parts and size (as one number, `signatureOf`) of the last heads not matched. */
const HEADS_MISSED = new Float64Array(HEADS_KEPT).fill(-1);
let nextMissed = 0;

const signatureOf = (count: number, size: number) => size * 65536 + count;

/**
 * The response's header lines, as received: the same (frozen) array as a response before's when
 * the head is byte for byte that one's.
 *
 * undici's parts are views into the chunk the socket read, in order, the separators between them
 * (": ", CRLF) left out, unless a part was split between two reads: undici then copies it, with its
 * other pieces, into a buffer of its own. So when the first and the last part are views into one
 * buffer, the bytes between them are the head as it came off the wire, and a head with the same
 * bytes and the same part lengths was parsed into the same lines. (A head split between reads has
 * its first and last part in one buffer only when both were copied, into the pool Node hands small
 * buffers out of; the bytes between them are then other copies and whatever else was allocated
 * there, which would have to equal a kept head's, separators and all, to be taken for it.)
 */
export function receivedLines(raw: RawHeaders): readonly HeaderEntry[] {
  const count = raw.length & ~1;
  if (count === 0) return [];
  const first = raw[0] as Buffer | string;
  const end = raw[count - 1] as Buffer | string;
  if (typeof first === 'string' || typeof end === 'string' || end.buffer !== first.buffer) {
    return decodeEach(raw, count);
  }
  const start = first.byteOffset;
  const size = end.byteOffset + end.length - start;
  const bytes = new Uint8Array(first.buffer, start, size);
  let stale = -1;
  for (let i = 0; i < HEADS.length; i++) {
    const kept = HEADS[i] as KeptHead;
    if (kept.bytes.length !== size || kept.lengths.length !== count) continue;
    if (sameLengths(raw, kept.lengths) && kept.bytes.equals(bytes)) return kept.lines;
    stale = i;
  }
  const lines = decodeEach(raw, count);
  const signature = signatureOf(count, size);
  const missed = HEADS_MISSED.indexOf(signature);
  if (missed === -1) {
    HEADS_MISSED[nextMissed] = signature;
    nextMissed = (nextMissed + 1) % HEADS_KEPT;
    return lines;
  }
  HEADS_MISSED[missed] = -1;
  const kept = keep(raw, count, bytes, lines);
  if (stale !== -1) HEADS[stale] = kept;
  else if (HEADS.length < HEADS_KEPT) HEADS.push(kept);
  else {
    HEADS[nextKept] = kept;
    nextKept = (nextKept + 1) % HEADS_KEPT;
  }
  return lines;
}

function sameLengths(raw: RawHeaders, lengths: Int32Array): boolean {
  for (let i = 0; i < lengths.length; i++) {
    if ((raw[i] as Buffer).length !== lengths[i]) return false;
  }
  return true;
}

function keep(raw: RawHeaders, count: number, bytes: Uint8Array, lines: HeaderEntry[]): KeptHead {
  const lengths = new Int32Array(count);
  for (let i = 0; i < count; i++) lengths[i] = (raw[i] as Buffer).length;
  for (const line of lines) Object.freeze(line);
  return { bytes: Buffer.from(bytes), lengths, lines: Object.freeze(lines) };
}

function decodeEach(raw: RawHeaders, count: number): HeaderEntry[] {
  const out = new Array<HeaderEntry>(count >> 1);
  for (let i = 0; i < count; i += 2) {
    out[i >> 1] = [
      decodeLatin1(raw[i] as Buffer | string),
      decodeLatin1(raw[i + 1] as Buffer | string),
    ];
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
