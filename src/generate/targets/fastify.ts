/**
 * `corsproof generate --for fastify`: the policy file as the options of corsproof's Fastify plugin
 * (`default`, `policies` and `paths` for a file with several policies). Routes may still choose a
 * policy by name in `config.cors`. Exact: the plugin runs the policy engine.
 */
import type { PolicyFile } from 'corsproof';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import {
  EXAMPLE_BODY,
  exposedHeaderNames,
  jsLiteral,
  listenMessage,
  moduleHeader,
  nodePolicies,
  standaloneFiles,
} from './_node.js';

const FILE_NAME = 'cors.mjs';

function generate(file: PolicyFile): GenerateResult {
  const { single, registry, paths } = nodePolicies('fastify', file);
  // Empty plugin options would read as one policy without origins: say "no CORS" instead.
  const options = single ?? {
    ...(registry !== null && Object.keys(registry).length > 0 ? registry : { default: false }),
    ...(paths === null ? {} : { paths }),
  };
  const header = moduleHeader('fastify', 'Fastify', [
    "import { corsproof } from 'corsproof/fastify';",
    "import { corsOptions } from './cors.mjs';",
    'await app.register(corsproof, corsOptions); // with await, before the routes',
    ...(single === null && file.policies.size > 0
      ? ['', "A route may choose a named policy instead: { config: { cors: 'name' } }."]
      : []),
  ]);
  const note =
    paths === null ? [] : ['// Path table: first match wins; other paths get the default policy.'];
  return {
    config: [header, ...note, `export const corsOptions = ${jsLiteral(options)};`, ''].join('\n'),
    fileName: FILE_NAME,
    warnings: [],
  };
}

function standalone(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[] {
  const server = `// A Fastify app answering every path, with the generated CORS plugin options.
import Fastify from 'fastify';
import { corsproof } from 'corsproof/fastify';
import { corsOptions } from './${FILE_NAME}';

const PORT = ${options.port};
const EXPOSED = ${jsLiteral(exposedHeaderNames(file))};

const app = Fastify();
// Any request body is accepted unread, whatever its content type.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
await app.register(corsproof, corsOptions);
app.route({
  method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], // HEAD comes with GET
  url: '/*',
  handler: async (_request, reply) => {
    for (const name of EXPOSED) reply.header(name, 'example');
    reply.type('text/plain');
    return ${jsLiteral(EXAMPLE_BODY)};
  },
});
await app.listen({ port: PORT, host: '127.0.0.1' });
${listenMessage('fastify')}
`;
  return standaloneFiles({ fileName: FILE_NAME, contents: generate(file).config }, server, [
    'corsproof',
    'fastify',
  ]);
}

/** Fastify with corsproof's plugin. */
export const fastify: Target = {
  name: 'fastify',
  summary: "corsproof's Fastify plugin options (cors.mjs exporting corsOptions)",
  generate,
  standalone,
};
