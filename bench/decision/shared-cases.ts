/**
 * Loading the tests' decision table (packages/corsproof/test/cases/policy-cases.ts) without a TypeScript build step:
 * the file and whatever it imports relatively are transpiled with the `typescript` package (each
 * file on its own, which `isolatedModules` guarantees is correct) into bench/.build/shared/, and
 * imports of the library's src/ are pointed at its built dist/. Type-only imports vanish in the transpile.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_BUILD, REPO } from '../lib/paths.js';

export const SHARED_CASES_FILE = 'packages/corsproof/test/cases/policy-cases.ts';

/** What the bench needs of the table: policies by name, and cases naming one. */
export interface SharedTable {
  readonly POLICIES: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly POLICY_CASES: readonly {
    readonly name: string;
    readonly policy: string;
    readonly request: Readonly<Record<string, string | undefined>>;
    readonly async?: boolean;
    readonly expected: { readonly kind?: string; readonly throws?: string };
  }[];
}

interface Ts {
  transpileModule(
    source: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string },
  ): { outputText: string };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\2/g;

function transpileTree(ts: Ts, file: string, dist: string, out: string, done: Set<string>): string {
  const target = join(out, `${relative(REPO, file).replace(/\.ts$/, '')}.mjs`);
  if (done.has(file)) return target;
  done.add(file);
  const js = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  }).outputText;
  const rewritten = js.replace(SPECIFIER, (_m, lead: string, quote: string, spec: string) => {
    const abs = resolve(dirname(file), spec);
    const src = join(REPO, 'packages', 'corsproof', 'src');
    let url: string;
    if (abs.startsWith(`${src}/`)) url = pathToFileURL(join(dist, relative(src, abs))).href;
    else {
      const tsFile = abs.replace(/\.js$/, '.ts');
      url = pathToFileURL(
        existsSync(tsFile) ? transpileTree(ts, tsFile, dist, out, done) : abs,
      ).href;
    }
    return `${lead}${quote}${url}${quote}`;
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, rewritten);
  return target;
}

/** The table, or why it cannot be used. */
export async function loadSharedTable(dist: string): Promise<SharedTable | string> {
  const file = join(REPO, SHARED_CASES_FILE);
  if (!existsSync(file)) return `${SHARED_CASES_FILE} does not exist`;
  try {
    const mod = (await import('typescript')) as unknown as { default?: Ts } & Ts;
    const entry = transpileTree(
      mod.default ?? mod,
      file,
      dist,
      join(BENCH_BUILD, 'shared'),
      new Set(),
    );
    const table = (await import(pathToFileURL(entry).href)) as Partial<SharedTable>;
    if (typeof table.POLICIES !== 'object' || !Array.isArray(table.POLICY_CASES)) {
      return `${SHARED_CASES_FILE} does not export POLICIES and POLICY_CASES`;
    }
    return table as SharedTable;
  } catch (error) {
    return `${SHARED_CASES_FILE} could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  }
}
