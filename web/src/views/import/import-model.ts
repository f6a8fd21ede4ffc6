/**
 * The import view's model, pure: one run of `importConfig` over pasted text, with the input the
 * importer cannot read kept apart from a result, and an example of each source to start from.
 */
import {
  IMPORT_SOURCES,
  type ImportFinding,
  type ImportSource,
  ImportSyntaxError,
  importConfig,
} from '../../../../src/import/index.js';

export { IMPORT_SOURCES, type ImportSource };

/** What each source is, in the words its users know it by. */
export const SOURCE_LABELS: Readonly<Record<ImportSource, string>> = {
  flask: 'Flask-CORS',
  nginx: 'nginx',
  django: 'django-cors-headers',
  fastapi: 'FastAPI CORSMiddleware',
  cors: 'Express cors options',
  aspnetcore: 'ASP.NET Core',
};

/** A short, realistic configuration of each source, each with a mistake the importer reports. */
export const SOURCE_EXAMPLES: Readonly<Record<ImportSource, string>> = {
  flask: 'CORS(app, origins=[r"https://app\\.example\\.com"], supports_credentials=True)',
  nginx: [
    'location /api/ {',
    "    add_header Access-Control-Allow-Origin 'https://app.example.com';",
    "    add_header Access-Control-Allow-Credentials 'true';",
    '}',
  ].join('\n'),
  django: [
    'CORS_ALLOWED_ORIGINS = [',
    '    "https://app.example.com",',
    '    "null",',
    ']',
    'CORS_ALLOW_CREDENTIALS = True',
  ].join('\n'),
  fastapi: [
    'app.add_middleware(',
    '    CORSMiddleware,',
    '    allow_origin_regex=r"https://.*\\.example\\.com",',
    '    allow_credentials=True,',
    '    allow_methods=["*"],',
    ')',
  ].join('\n'),
  cors: '{ origin: [/\\.example\\.com$/], credentials: true }',
  aspnetcore: [
    'builder.Services.AddCors(options =>',
    '    options.AddDefaultPolicy(policy =>',
    '        policy.WithOrigins("https://app.example.com")',
    '              .AllowAnyHeader()',
    '              .AllowCredentials()));',
  ].join('\n'),
};

export type ImportOutcome =
  /** The importer could not read the text: where, and what it expected. */
  | { readonly kind: 'unreadable'; readonly message: string; readonly line: number }
  | {
      readonly kind: 'imported';
      /** The policy file, as `corsproof import` writes it. */
      readonly json: string;
      readonly findings: readonly ImportFinding[];
      readonly notes: readonly string[];
    };

/** Imports `text` as `source`. Errors other than `ImportSyntaxError` (a bug) are thrown. */
export function runImport(source: ImportSource, text: string): ImportOutcome {
  try {
    const { file, findings, notes } = importConfig(source, text);
    return { kind: 'imported', json: `${JSON.stringify(file, null, 2)}\n`, findings, notes };
  } catch (error) {
    if (error instanceof ImportSyntaxError) {
      return { kind: 'unreadable', message: error.message, line: error.line };
    }
    throw error;
  }
}

/** One sentence for a screen reader when the outcome changes; the details stay on the page. */
export function importSummary(outcome: ImportOutcome): string {
  if (outcome.kind === 'unreadable')
    return `Could not read the configuration at line ${outcome.line}.`;
  const n = outcome.findings.length;
  return `Imported; ${n === 0 ? 'no findings' : `${n} ${n === 1 ? 'finding' : 'findings'}`}.`;
}
