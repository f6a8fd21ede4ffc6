/**
 * Fastify 5. Modes: `bare`, `peer` (@fastify/cors, in its default `onRequest` hook), `corsproof`
 * (corsproof's fastify adapter: a plugin, or a factory returning one).
 */
import fastifyCors from '@fastify/cors';
import Fastify from 'fastify';
import { isFastifyPlugin, loadAdapter } from './_adapters.mjs';
import { fail, mode, ready } from './_boot.mjs';
import { BODY, CONTENT_TYPE, corsPackageOptions, corsproofOptions } from './_policy.mjs';

async function main() {
  const app = Fastify({ logger: false });
  if (mode === 'peer') await app.register(fastifyCors, corsPackageOptions);
  else if (mode === 'corsproof') {
    const { factory } = await loadAdapter('fastify');
    if (isFastifyPlugin(factory)) await app.register(factory, corsproofOptions);
    else await app.register(factory(corsproofOptions));
  } else if (mode !== 'bare') throw new Error(`fastify.mjs: unknown mode ${JSON.stringify(mode)}`);
  app.options('/', (_req, reply) => reply.code(204).send());
  app.get('/', (_req, reply) => reply.type(CONTENT_TYPE).send(BODY));
  await app.listen({ port: 0, host: '127.0.0.1' });
  ready(app.server, false);
}

main().catch(fail);
