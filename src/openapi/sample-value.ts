/**
 * A concrete value for a parameter, so every operation becomes a URL a browser could fetch: the
 * description's own example first, then the schema's example, default, first enum value or const,
 * and only then a value made from the type and format.
 */
import type { ParameterLike, SchemaLike } from './types.js';

/** Fixed, so runs are repeatable and a log shows at once that the value was made up. */
export const SAMPLE_UUID = '00000000-0000-4000-8000-000000000000';

const BY_FORMAT: Readonly<Record<string, string>> = {
  uuid: SAMPLE_UUID,
  date: '2024-01-01',
  'date-time': '2024-01-01T00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'ZXhhbXBsZQ==',
};

/** The first example of an OpenAPI 3 `examples` map ({ name: { value } }) or a 3.1 list. */
function firstExample(examples: unknown): unknown {
  if (Array.isArray(examples)) return examples[0];
  if (examples !== null && typeof examples === 'object') {
    for (const example of Object.values(examples)) {
      if (example !== null && typeof example === 'object' && 'value' in example) {
        return (example as { value: unknown }).value;
      }
    }
  }
  return undefined;
}

function typeOf(schema: SchemaLike): string | undefined {
  // 3.1 allows a list of types (["string", "null"]): the first that is not null.
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return schema.type as string | undefined;
}

/**
 * A value for a schema: example, default, first enum value, const, else one made from the type.
 *
 * @example
 * sampleOfSchema({ type: 'string', format: 'uuid' }) // '00000000-0000-4000-8000-000000000000'
 * sampleOfSchema({ type: 'integer', enum: [5, 6] })  // 5
 */
export function sampleOfSchema(schema: SchemaLike | undefined, depth = 0): unknown {
  if (schema === undefined || depth > 4) return 'example';
  if (schema.example !== undefined) return schema.example;
  const listed = firstExample(schema.examples);
  if (listed !== undefined) return listed;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const [alternative] = schema.oneOf ?? schema.anyOf ?? schema.allOf ?? [];
  if (schema.type === undefined && alternative !== undefined) {
    return sampleOfSchema(alternative, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return [sampleOfSchema(schema.items, depth + 1)];
    case 'object':
      return {};
    default:
      return BY_FORMAT[schema.format ?? ''] ?? 'example';
  }
}

/**
 * A value for a parameter: its own `example` or first of `examples`, else its schema's (3.x), or
 * the schema-like fields Swagger 2.0 puts on the parameter itself.
 */
export function sampleOfParameter(parameter: ParameterLike): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const listed = firstExample(parameter.examples);
  if (listed !== undefined) return listed;
  if (parameter.schema !== undefined) return sampleOfSchema(parameter.schema);
  const [media] = Object.values(parameter.content ?? {});
  if (media !== undefined) return media.example ?? sampleOfSchema(media.schema);
  return sampleOfSchema(parameter);
}

/** A value as text in a URL or header: lists joined with commas (OpenAPI's `simple` style). */
export function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join(',');
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
