/**
 * The error `check()` throws for arguments a browser would refuse (or that make no sense for a
 * check). A `TypeError`, like `fetch()` throws for the same mistakes, with a stable code.
 *
 * @example
 * try { await check({ url: 'https://u:p@api.example/', origin }); }
 * catch (e) { if (e instanceof CheckInputError) console.error(e.code, e.message); } // URL_CREDENTIALS
 */
export type CheckInputErrorCode =
  | 'INVALID_URL'
  | 'URL_CREDENTIALS'
  | 'UNSUPPORTED_SCHEME'
  | 'INVALID_ORIGIN'
  | 'INVALID_METHOD'
  | 'FORBIDDEN_METHOD'
  | 'INVALID_HEADER_NAME'
  | 'INVALID_HEADER_VALUE'
  | 'BODY_NOT_ALLOWED'
  | 'INVALID_OPTION';

export class CheckInputError extends TypeError {
  readonly code: CheckInputErrorCode;
  /** The option at fault: `url`, `origin`, `method`, `headers`, `body`, `timeoutMs`... */
  readonly option: string;

  constructor(code: CheckInputErrorCode, option: string, message: string) {
    super(`corsproof: ${message}`);
    this.name = 'CheckInputError';
    this.code = code;
    this.option = option;
  }
}
