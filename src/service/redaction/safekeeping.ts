/**
 * How inputs are kept: redacted for display and history, and — only when a background job will
 * need its credentials again after a restart — the clear input sealed with the store's key.
 */

import type { HeaderPair } from '../routes/inputs.js';
import type { SecretBox } from '../store/index.js';
import { createRedaction, hasSecrets, type Redaction } from './redaction.js';
import { createRedactor, type Redactor } from './redactor.js';

/** An input with request headers. */
export interface WithHeaders {
  readonly headers: readonly HeaderPair[];
}

/** The sealed input could not be opened: the key file was replaced or the row altered. */
export class SealedInputError extends Error {
  readonly code = 'CORSPROOF_SEALED_INPUT';

  constructor() {
    super(
      'corsproof: the credentials stored for this job could not be decrypted (the database key file changed); submit it again',
    );
    this.name = 'SealedInputError';
  }
}

export interface Safekeeping {
  /** The redaction for a request that sent `headers` (results are searched for their values). */
  redaction(headers: readonly HeaderPair[]): Redaction;
  /** What to store for `input`: the redacted copy, and the sealed clear input if it has secrets. */
  keep<T extends WithHeaders>(input: T): { input: T; sealedInput: string | null };
  /** The clear input back: the sealed one when there is one, else the stored one (no secrets). */
  restore<T extends WithHeaders>(stored: T, sealedInput: string | null): T;
}

/**
 * @example
 * ```ts
 * const keeping = createSafekeeping(store.secrets, store.redactionKey);
 * const { input, sealedInput } = keeping.keep(clearInput);
 * ```
 */
export function createSafekeeping(secrets: SecretBox, redactionKey: Uint8Array): Safekeeping {
  // One key for the life of the database, so equal secrets get equal hash suffixes across restarts.
  const redactor: Redactor = createRedactor({ key: redactionKey });
  return {
    redaction(headers) {
      return createRedaction(redactor, headers);
    },
    keep(input) {
      const redacted = createRedaction(redactor, input.headers).redact(input);
      return {
        input: redacted,
        sealedInput: hasSecrets(input.headers) ? secrets.seal(JSON.stringify(input)) : null,
      };
    },
    restore(stored, sealedInput) {
      if (sealedInput === null) return stored;
      try {
        return JSON.parse(secrets.open(sealedInput)) as typeof stored;
      } catch {
        throw new SealedInputError();
      }
    },
  };
}
