/**
 * The error `audit()` throws for arguments it cannot work with. A `TypeError` with a stable code,
 * like the checker's `CheckInputError`; network failures are never thrown, they are in the report.
 */
export type AuditInputErrorCode =
  | 'INVALID_URL'
  | 'INVALID_ORIGIN'
  | 'INVALID_OPTION'
  | 'SAME_ORIGIN'
  | 'MIXED_CONTENT'
  | 'UNSAFE_PORT';

/**
 * @example
 * try { await audit({ url: 'https://api.example.com/', origin: 'https://api.example.com' }); }
 * catch (e) { if (e instanceof AuditInputError) console.error(e.code); } // SAME_ORIGIN
 */
export class AuditInputError extends TypeError {
  readonly code: AuditInputErrorCode;
  /** The option at fault: `url`, `origin`, `concurrency`... */
  readonly option: string;

  constructor(code: AuditInputErrorCode, option: string, message: string) {
    super(`corsproof: ${message}`);
    this.name = 'AuditInputError';
    this.code = code;
    this.option = option;
  }
}
