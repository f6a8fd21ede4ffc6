export { ImportSyntaxError } from './errors.js';
export type {
  ImportedDocument,
  ImportFinding,
  ImportFindingId,
  ImportOnlyFindingId,
  ImportResult,
} from './findings.js';
export { IMPORT_SOURCES, type ImportSource, importConfig, isImportSource } from './import.js';
