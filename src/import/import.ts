/**
 * `importConfig`: an existing CORS configuration in, a corsproof policy file out, with what the
 * original gets wrong. The file is never looser than the original: what cannot be proven allowed
 * is left out and reported.
 */
import { POLICY_FILE_SCHEMA_ID } from 'corsproof';
import type { ImportedDocument, ImportResult } from './findings.js';
import { Report } from './findings.js';
import { readAspnetcore } from './readers/aspnetcore.js';
import { readCors } from './readers/cors.js';
import { readDjango } from './readers/django.js';
import { readFastapi } from './readers/fastapi.js';
import { readFlask } from './readers/flask.js';
import { readNginx } from './readers/nginx.js';

/** The configurations `corsproof import --from` reads. */
export const IMPORT_SOURCES = [
  'cors',
  'flask',
  'nginx',
  'aspnetcore',
  'django',
  'fastapi',
] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

const READERS: Readonly<Record<ImportSource, (text: string, report: Report) => ImportedDocument>> =
  {
    cors: readCors,
    flask: readFlask,
    nginx: readNginx,
    aspnetcore: readAspnetcore,
    django: readDjango,
    fastapi: readFastapi,
  };

export function isImportSource(name: string): name is ImportSource {
  return (IMPORT_SOURCES as readonly string[]).includes(name);
}

/**
 * Reads a configuration of `source` and returns the policy file it amounts to (with `$schema`),
 * the findings about the original, and notes on where the file differs from it. Throws
 * `ImportSyntaxError` (line, column, what was expected) for input it cannot read.
 *
 * @example
 * const { file, findings } = importConfig('cors', "{ origin: [/\\.example\\.com$/], credentials: true }");
 * findings[0]?.id; // 'suffix-match-bypass'
 */
export function importConfig(source: ImportSource, text: string): ImportResult {
  const report = new Report();
  const document = READERS[source](text, report);
  return {
    file: { $schema: POLICY_FILE_SCHEMA_ID, ...document } as ImportedDocument,
    findings: report.findings,
    notes: report.notes,
  };
}
