/**
 * `require('corsproof/compat')` from CommonJS. corsproof ships ES modules only; Node loads them with
 * `require()` when `process.features.require_module` is true (20.19+, 22.12+, without a flag), and
 * the `module.exports` export name makes that `require()` return the function itself, as the `cors`
 * package does. This test lays the compat sources out as an installed package (transpiled, not
 * type-checked, so work in progress elsewhere cannot break it) with the `exports` entry that
 * package.json needs, and loads it from CommonJS and from ESM in a child Node.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const ENTRY = 'adapters/compat/index.ts';

/** The entry `package.json` needs, as proposed in the report. */
const EXPORT_ENTRY = {
  types: './dist/adapters/compat/index.d.ts',
  import: './dist/adapters/compat/index.js',
  require: './dist/adapters/compat/index.js',
};

let root: string;

/** Transpiles ENTRY and every module it imports, relative to `src/`, into `<pkg>/dist/`. */
async function layOut(pkg: string): Promise<void> {
  const pending = [ENTRY];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = await readFile(path.join(SRC, file), 'utf8');
    for (const [, specifier] of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(path.posix.join(path.posix.dirname(file), `${specifier}.ts`));
    }
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const out = path.join(pkg, 'dist', file.replace(/\.ts$/, '.js'));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
}

const CONSUMER = `
const cors = require('corsproof/compat');
const headers = {};
const res = {
  setHeader: (name, value) => { headers[name] = value; },
  getHeader: (name) => headers[name],
  end() {},
};
cors({ origin: ['https://app.example.com'] })(
  { method: 'GET', headers: { origin: 'https://app.example.com' } },
  res,
  () => {},
);
import('corsproof/compat').then((esm) => {
  console.log(JSON.stringify({
    type: typeof cors,
    length: cors.length,
    sameAsImportDefault: esm.default === cors,
    headers,
  }));
});
`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'corsproof-require-'));
  const pkg = path.join(root, 'node_modules', 'corsproof');
  await layOut(pkg);
  await writeFile(
    path.join(pkg, 'package.json'),
    JSON.stringify({ name: 'corsproof', type: 'module', exports: { './compat': EXPORT_ENTRY } }),
  );
  await writeFile(path.join(root, 'consumer.cjs'), CONSUMER);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('require("corsproof/compat")', () => {
  it.runIf(process.features.require_module)(
    'returns the middleware factory itself, the same function ESM imports',
    async () => {
      const { stdout, stderr } = await run(process.execPath, ['consumer.cjs'], { cwd: root });
      expect(JSON.parse(stdout)).toEqual({
        type: 'function',
        length: 1,
        sameAsImportDefault: true,
        headers: { 'Access-Control-Allow-Origin': 'https://app.example.com', Vary: 'Origin' },
      });
      // No ExperimentalWarning on this Node line (it has none for require(esm) since 20.19).
      expect(stderr).toBe('');
    },
  );

  it.runIf(process.features.require_module)(
    'fails with ERR_REQUIRE_ESM where require(esm) is off, as on Node < 20.19',
    async () => {
      const failure = await run(
        process.execPath,
        ['--no-experimental-require-module', 'consumer.cjs'],
        { cwd: root },
      ).then(
        () => undefined,
        (error: { stderr: string }) => error.stderr,
      );
      expect(failure).toContain('ERR_REQUIRE_ESM');
    },
  );
});
