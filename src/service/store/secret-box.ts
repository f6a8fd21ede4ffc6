/**
 * Credentials a background job needs again after a restart (the Authorization header of a batch
 * target or a monitor) are stored encrypted, never in clear: AES-256-GCM under a key kept in a file
 * beside the database (`<db>.key`, mode 0600). A stolen database alone reveals no secret; deleting
 * the key file makes the sealed inputs unreadable (their jobs then end with an error).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const VERSION = 'v1';

/** Seals and opens short strings. */
export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the text was sealed under another key or altered. */
  open(sealed: string): string;
}

/** A sub-key for one purpose, so the sealing key and the redaction HMAC key are never the same. */
export function deriveKey(master: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', master).update(`corsproof ${purpose}`).digest();
}

/**
 * The master key for the database at `dbPath`: read from `<dbPath>.key`, or created there (32
 * random bytes, hex, mode 0600). An in-memory database gets a key that lives as long as it does.
 */
export function loadMasterKey(dbPath: string): Buffer {
  if (dbPath === ':memory:' || dbPath === '') return randomBytes(32);
  const file = `${dbPath}.key`;
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another start created it first, or it exists from a previous run: either way, read it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new Error(
      `corsproof: ${file} is not a corsproof key file (64 hex digits); move it away to create a new one`,
    );
  }
  return Buffer.from(text, 'hex');
}

/** AES-256-GCM with a random 96-bit nonce per message: `v1.<nonce>.<tag>.<ciphertext>` (base64url). */
export function createSecretBox(key: Uint8Array): SecretBox {
  const aesKey = deriveKey(key, 'seal v1');
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', aesKey, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, nonce, tag, body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, nonce, tag, body] = sealed.split('.');
      if (version !== VERSION || nonce === undefined || tag === undefined || body === undefined) {
        throw new Error('corsproof: not a sealed value');
      }
      const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
