/**
 * Page cursors: opaque to clients (base64url), so the key they wrap (an id, a position) can change
 * without breaking the contract that a cursor is only ever passed back.
 */

/** Wraps a key as a cursor. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

/** The key in a cursor, or undefined when the text is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  // Keys are ids and integers: printable ASCII. Anything else was not made by encodeCursor.
  return /^[\x21-\x7e]{1,64}$/.test(key) ? key : undefined;
}

/** A decoded cursor that must be a non-negative integer (a position), or undefined. */
export function decodePositionCursor(cursor: string): number | undefined {
  const key = decodeCursor(cursor);
  return key !== undefined && /^(0|[1-9][0-9]{0,8})$/.test(key) ? Number(key) : undefined;
}
