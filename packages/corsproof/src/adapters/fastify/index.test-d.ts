import Fastify, { type FastifyPluginCallback } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { compilePolicy } from '../../policy/compile.js';
import { type CorsproofFastifyOptions, corsproof } from './index.js';

describe('corsproof/fastify types', () => {
  it('is a Fastify plugin taking one policy or named policies', async () => {
    expectTypeOf(corsproof).toMatchTypeOf<FastifyPluginCallback<CorsproofFastifyOptions>>();
    const app = Fastify();
    await app.register(corsproof, { origins: ['https://app.example'], credentials: true });
    await app.register(corsproof, {
      default: compilePolicy({ origins: '*' }),
      policies: { partners: { origins: ['https://partner.example'] }, internal: false },
      paths: { '/public/*': 'partners', '/internal/*': 'internal' },
    });
    // @ts-expect-error one policy's options go directly, not next to named policies
    await app.register(corsproof, { policies: {}, origins: ['https://app.example'] });
    // @ts-expect-error `origin` is @fastify/cors's name; corsproof says `origins`
    await app.register(corsproof, { origin: '*' });
  });

  it('types config.cors on routes', () => {
    const app = Fastify();
    app.get('/a', { config: { cors: 'partners' } }, async () => 'a');
    app.get('/b', { config: { cors: false } }, async () => 'b');
    app.get('/c', { config: { cors: { origins: '*' } } }, async () => 'c');
    // @ts-expect-error `true` is not a policy
    app.get('/d', { config: { cors: true } }, async () => 'd');
  });
});
