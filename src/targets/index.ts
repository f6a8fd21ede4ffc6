/**
 * The target lists corsproof reads, in one place for the CLI and the page. Pure and browser-safe
 * (no node: imports): text in, entries (or problems naming their line) out.
 */
export { type AuditBatchEntry, type AuditBatchLine, parseAuditBatch } from './audit-batch.js';
export {
  type BatchEntry,
  type BatchHeaders,
  type BatchLine,
  parseBatchInput,
} from './check-batch.js';
export { type CsvRow, csvRows, parseCsv, stripByteOrderMark } from './csv.js';
export { type ContentLine, contentLines } from './lines.js';
export {
  type HeaderPair,
  type Parsed,
  parseCsvTargets,
  parseHeaderCell,
  parseTargetList,
  type RawTarget,
  type TargetDefaults,
} from './target-list.js';
export { isUrlListLine, parseUrlList, type UrlListLine } from './url-list.js';
