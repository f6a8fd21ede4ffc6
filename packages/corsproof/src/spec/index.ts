/**
 * corsproof/spec: the rules of the Fetch standard (and the URL and HTML parts it leans on) as
 * pure functions, one module per concept. The checker and the auditor build on these.
 */
export * from './bad-ports.js';
export * from './cors-check.js';
export * from './fetch-metadata.js';
export * from './header-names.js';
export * from './host.js';
export * from './http-grammar.js';
export * from './list-value.js';
export * from './methods.js';
export * from './mime.js';
export * from './origin.js';
export * from './preflight-check.js';
export * from './request-headers.js';
export * from './response-headers.js';
export * from './secure-context.js';
export * from './site.js';
export * from './vary.js';
