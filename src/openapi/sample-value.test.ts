import { describe, expect, it } from 'vitest';
import { SAMPLE_UUID, sampleOfParameter, sampleOfSchema, valueText } from './sample-value.js';

describe('sampleOfSchema', () => {
  it.each([
    ['an example before anything else', { type: 'integer', example: 9, default: 2 }, 9],
    ['a 3.1 examples list', { type: 'string', examples: ['x'] }, 'x'],
    ['the default', { type: 'string', default: 'd', enum: ['e'] }, 'd'],
    ['the first enum value', { type: 'string', enum: ['e', 'f'] }, 'e'],
    ['const', { const: 'c' }, 'c'],
    ['integer 1', { type: 'integer' }, 1],
    ['the minimum when above 1', { type: 'integer', minimum: 10 }, 10],
    ['a fixed UUID', { type: 'string', format: 'uuid' }, SAMPLE_UUID],
    ['a date', { type: 'string', format: 'date' }, '2024-01-01'],
    ['"example" for a plain string', { type: 'string' }, 'example'],
    ['the first non-null of a type list', { type: ['null', 'boolean'] }, true],
    ['a list of one item', { type: 'array', items: { type: 'integer' } }, [1]],
    ['the first alternative', { oneOf: [{ type: 'integer' }] }, 1],
  ])('takes %s', (_, schema, expected) => {
    expect(sampleOfSchema(schema)).toEqual(expected);
  });
});

describe('sampleOfParameter', () => {
  it("prefers the parameter's own example, then the first of its examples", () => {
    expect(sampleOfParameter({ example: 'own', schema: { example: 's' } })).toBe('own');
    expect(sampleOfParameter({ examples: { a: { value: 'first' } }, schema: {} })).toBe('first');
  });

  it('reads the schema fields Swagger 2.0 puts on the parameter itself', () => {
    expect(sampleOfParameter({ name: 'id', in: 'path', type: 'integer' })).toBe(1);
  });

  it('joins lists with commas in a path or header', () => {
    expect(valueText(['a', 1])).toBe('a,1');
  });
});
