/**
 * An API description's text (YAML or JSON) into a dereferenced document: parsed with `yaml`
 * (JSON is YAML), then validated and dereferenced by @readme/openapi-parser.
 *
 * External `$ref`s (other files, URLs) are never followed: the description may come from a
 * stranger (the service takes uploads and links), and a `$ref` to `http://169.254.169.254/` would
 * make the parser a request forger. Bundle a multi-file description first
 * (`npx @redocly/cli bundle`, `swagger-cli bundle`).
 */
import { ApiDescriptionError } from './errors.js';
import type { ApiDocument } from './types.js';

const PARSER_OPTIONS = {
  resolve: { external: false, file: false },
  // A schema that refers to itself is left with its `$ref`: the operations never need its depth.
  dereference: { circular: 'ignore' as const },
};

/**
 * yaml and the parser, imported with the first description: `corsproof check` bundles this module
 * for `--openapi`, and a plain check should not load two packages it never calls.
 */
const libraries = () => Promise.all([import('yaml'), import('@readme/openapi-parser')]);

/** The most of the parser's complaints shown; it stops at 20 itself. */
const MAX_PROBLEMS = 20;

function syntaxError(
  error: unknown,
  source: string,
  YAMLParseError: typeof import('yaml').YAMLParseError,
): ApiDescriptionError {
  if (error instanceof YAMLParseError) {
    const at = error.linePos?.[0];
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`;
    // yaml ends its first line with the location, which the message already gives.
    const first = (error.message.split('\n')[0] ?? error.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    return new ApiDescriptionError(
      'OPENAPI_SYNTAX',
      `${source} is not YAML or JSON${where}: ${first}`,
      [`line ${at?.line ?? '?'}, column ${at?.col ?? '?'}: ${first}`],
    );
  }
  return new ApiDescriptionError(
    'OPENAPI_SYNTAX',
    `${source} is not YAML or JSON: ${(error as Error).message}`,
  );
}

/** Which of the two families the document claims to be, or why it is neither. */
function versionOf(doc: unknown, source: string): 'openapi3' | 'swagger2' {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ApiDescriptionError(
      'OPENAPI_VERSION',
      `${source} is not an API description: expected an object with an "openapi: 3.x" or "swagger: \\"2.0\\"" field at the top`,
    );
  }
  const { openapi, swagger } = doc as { openapi?: unknown; swagger?: unknown };
  if (typeof openapi === 'string' && /^3\.[01]\.\d+/.test(openapi)) return 'openapi3';
  if (swagger === '2.0') return 'swagger2';
  const found =
    openapi !== undefined
      ? `openapi: ${JSON.stringify(openapi)}`
      : swagger !== undefined
        ? `swagger: ${JSON.stringify(swagger)}`
        : 'neither field';
  throw new ApiDescriptionError(
    'OPENAPI_VERSION',
    `${source} is not OpenAPI 3.0, 3.1 or Swagger 2.0 (found ${found}): expected "openapi: 3.0.x", "openapi: 3.1.x" or "swagger: \\"2.0\\"" at the top`,
  );
}

/**
 * Parses, validates and dereferences an API description. `source` names it in messages (a file
 * name or URL). Throws an `ApiDescriptionError` naming the parser's location and what it expected.
 *
 * @example
 * const doc = await loadApiDescription(await readFile('api.yaml', 'utf8'), 'api.yaml');
 * listOperations(doc, { baseUrl: 'https://api.example.com' });
 */
export async function loadApiDescription(text: string, source: string): Promise<ApiDocument> {
  const [yaml, { dereference, validate }] = await libraries();
  let parsed: unknown;
  try {
    parsed = yaml.parse(text, { prettyErrors: true, maxAliasCount: 1000 });
  } catch (error) {
    throw syntaxError(error, source, yaml.YAMLParseError);
  }
  versionOf(parsed, source);
  // The parser works on (and may change) what it is given: each step gets its own copy.
  const result = await validate(structuredClone(parsed) as never, PARSER_OPTIONS);
  if (!result.valid) {
    const problems = result.errors.slice(0, MAX_PROBLEMS).map((e) => e.message.trim());
    const more = result.additionalErrors > 0 ? `\n(and ${result.additionalErrors} more)` : '';
    // The parser shows where with an excerpt of the document re-printed as JSON.
    const excerpt = problems.some((p) => /^\s*>?\s*\d+ \|/m.test(p));
    throw new ApiDescriptionError(
      'OPENAPI_INVALID',
      `${source} is not a valid ${result.specification ?? 'API'} description${excerpt ? ' (the line numbers are of the document as JSON)' : ''}:\n${problems.join('\n\n')}${more}`,
      problems,
    );
  }
  try {
    return (await dereference(structuredClone(parsed) as never, PARSER_OPTIONS)) as ApiDocument;
  } catch (error) {
    throw new ApiDescriptionError('OPENAPI_INVALID', `${source}: ${(error as Error).message}`, [
      (error as Error).message,
    ]);
  }
}
