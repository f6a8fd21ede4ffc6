import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ApiDescriptionError } from './errors.js';
import { loadApiDescription } from './load.js';
import { type ApiOperation, listOperations } from './operations.js';
import { SAMPLE_UUID } from './sample-value.js';
import { PLACEHOLDER_SECRET } from './security.js';

const FIXTURES = new URL('../../test/fixtures/openapi/', import.meta.url);

async function load(name: string) {
  return loadApiDescription(await readFile(new URL(name, FIXTURES), 'utf8'), name);
}

function byId(operations: readonly ApiOperation[], id: string): ApiOperation {
  const found = operations.find((o) => o.operationId === id);
  if (found === undefined) throw new Error(`no operation ${id}`);
  return found;
}

const BEARER = ['Authorization', `Bearer ${PLACEHOLDER_SECRET}`];

describe('OpenAPI 3.0', async () => {
  const ops = listOperations(await load('shop-3.0.yaml'));

  it('lists every operation in document order, with tags and operationId', () => {
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /items',
      'POST /items',
      'GET /items/{itemId}',
      'DELETE /items/{itemId}',
      'GET /items/{itemId}/reviews/{page}',
      'GET /internal/health',
    ]);
    expect(byId(ops, 'deleteItem').tags).toEqual(['admin']);
  });

  it('takes the first server with its variables at their defaults', () => {
    expect(byId(ops, 'health').url).toBe('https://eu.shop.example/v1/internal/health');
  });

  it("fills a $ref'd required query parameter from its schema example and leaves optional ones out", () => {
    expect(byId(ops, 'listItems').url).toBe('https://eu.shop.example/v1/items?limit=20');
  });

  it('applies root security, with a placeholder bearer token', () => {
    expect(byId(ops, 'listItems').headers).toEqual([BEARER]);
    expect(byId(ops, 'listItems').security).toEqual(['bearer']);
  });

  it('adds required header parameters and the first media type of the body', () => {
    expect(byId(ops, 'createItem').headers).toEqual([
      BEARER,
      ['X-Request-Id', SAMPLE_UUID],
      ['Content-Type', 'application/json'],
    ]);
  });

  it("takes a path-level $ref'd parameter, and security: [] opts out of the root's", () => {
    const op = byId(ops, 'getItem');
    expect(op.url).toBe(`https://eu.shop.example/v1/items/${SAMPLE_UUID}`);
    expect(op.headers).toEqual([]);
    expect(op.security).toEqual([]);
  });

  it("puts an operation's own apiKey header in place of the root's scheme", () => {
    expect(byId(ops, 'deleteItem').headers).toEqual([['X-API-Key', PLACEHOLDER_SECRET]]);
  });

  it('uses default and first enum values, and a cookie scheme asks for credentials', () => {
    const op = byId(ops, 'listReviews');
    expect(op.url).toBe(`https://eu.shop.example/v1/items/${SAMPLE_UUID}/reviews/3?sort=newest`);
    expect(op.headers).toEqual([]);
    expect(op.credentials).toBe(true);
  });

  it('puts the operations under the base URL instead of the servers', async () => {
    const local = listOperations(await load('shop-3.0.yaml'), {
      baseUrl: 'http://127.0.0.1:8080/',
    });
    expect(byId(local, 'health').url).toBe('http://127.0.0.1:8080/internal/health');
  });
});

describe('OpenAPI 3.1', async () => {
  const doc = await load('notes-3.1.yaml');

  it('refuses a relative server URL without a base, naming the fix', () => {
    expect(() => listOperations(doc)).toThrow(/--base-url/);
  });

  it('resolves a relative server URL against where the description came from', () => {
    const ops = listOperations(doc, { documentUrl: 'https://notes.example/openapi.yaml' });
    expect(byId(ops, 'putNote').url).toBe('https://notes.example/api/notes/n-42');
  });

  it('takes examples (parameter map, schema list), basic credentials and a text body', () => {
    const ops = listOperations(doc, { baseUrl: 'https://notes.example/api' });
    expect(byId(ops, 'putNote').headers).toEqual([
      ['Authorization', `Basic ${btoa(`${PLACEHOLDER_SECRET}:${PLACEHOLDER_SECRET}`)}`],
      ['Content-Type', 'text/plain'],
    ]);
    const patch = byId(ops, 'patchNote');
    expect(patch.url).toBe('https://notes.example/api/notes/n-42?version=7');
    // `security: [{}]`: anonymous access is the first alternative, so no credentials.
    expect(patch.headers).toEqual([['Content-Type', 'application/merge-patch+json']]);
  });
});

describe('Swagger 2.0', async () => {
  const ops = listOperations(await load('pets-swagger-2.0.json'));

  it('builds the URL from https (when offered), host and basePath, with a typed path value', () => {
    expect(byId(ops, 'getPet').url).toBe('https://pets.example/v2/pets/1');
  });

  it('applies root security from securityDefinitions', () => {
    expect(byId(ops, 'getPet').headers).toEqual([['X-Pets-Key', PLACEHOLDER_SECRET]]);
  });

  it('takes the operation consumes for a form, and oauth2 as a bearer token', () => {
    expect(byId(ops, 'updatePetForm').headers).toEqual([
      BEARER,
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ]);
  });

  it('puts a query API key in the URL and the root consumes on a body', () => {
    const op = byId(ops, 'addPet');
    expect(op.url).toBe(`https://pets.example/v2/pets?token=${PLACEHOLDER_SECRET}`);
    expect(op.headers).toEqual([['Content-Type', 'application/json']]);
  });
});

describe('bad descriptions', () => {
  it('names the line of a YAML syntax error', async () => {
    const error = await load('not-yaml.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiDescriptionError);
    expect((error as ApiDescriptionError).code).toBe('OPENAPI_SYNTAX');
    expect((error as Error).message).toMatch(/not-yaml\.txt is not YAML or JSON at line \d+/);
  });

  it("passes on the parser's location and what it expected", async () => {
    const error = await load('broken-path-parameter.yaml').catch((e: unknown) => e);
    expect((error as ApiDescriptionError).code).toBe('OPENAPI_INVALID');
    expect((error as Error).message).toContain('/paths/things/{thingId}/get');
    expect((error as Error).message).toContain('missing path parameter');
  });

  it('refuses a document that is neither OpenAPI 3 nor Swagger 2', async () => {
    await expect(loadApiDescription('openapi: 2.5\n', 'x.yaml')).rejects.toThrow(
      /found openapi: 2.5.*expected "openapi: 3.0.x"/,
    );
    await expect(loadApiDescription('- a list\n', 'x.yaml')).rejects.toThrow(/expected an object/);
  });

  it('never follows an external $ref', async () => {
    const text = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      servers: [{ url: 'https://api.example' }],
      paths: {
        '/a': {
          get: {
            parameters: [{ $ref: 'http://169.254.169.254/latest/meta-data#/p' }],
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    });
    const ops = listOperations(await loadApiDescription(text, 'x.json'));
    expect(ops.map((o) => o.url)).toEqual(['https://api.example/a']);
  });
});
