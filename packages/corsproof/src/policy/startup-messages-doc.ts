/**
 * Writes docs/errors.md, the page the edge build's short start-up errors link to, from the words
 * the Node build uses (startup-messages.ts) and the opt-ins of the edge build, so the page says
 * exactly what a Node user reads. scripts/write-errors-doc.mjs writes the file;
 * startup-messages-doc.test.ts fails when it is out of date.
 */
import { type RecordProblem, STARTUP_MESSAGES, type Words } from './startup-messages.js';

/** Each code with the situations it covers: a title and the Node build's words for it. */
const CODES: readonly [code: keyof typeof STARTUP_MESSAGES, cases: [string, Words][]][] = [
  [
    'POLICY_INVALID',
    [
      [
        '`cors(42)`, or a path-table entry that is not a policy',
        STARTUP_MESSAGES.POLICY_INVALID(42),
      ],
      ['`cors(true)`', STARTUP_MESSAGES.POLICY_INVALID(true)],
    ],
  ],
  [
    'POLICY_UNKNOWN',
    [
      ['`cors("partners")` with no named policies', STARTUP_MESSAGES.POLICY_UNKNOWN([])],
      [
        '`cors.route("parnters")` where `partners` and `public` are registered',
        STARTUP_MESSAGES.POLICY_UNKNOWN(['partners', 'public']),
      ],
    ],
  ],
  [
    'POLICY_DEFAULT_MISSING',
    [['`cors()` without a default policy', STARTUP_MESSAGES.POLICY_DEFAULT_MISSING()]],
  ],
  [
    'VALIDATED_POLICY_INVALID',
    (
      [
        ['a record written by another version of corsproof', 'version'],
        ['a record edited after `prevalidatePolicy()` wrote it', 'edited'],
        ['a record whose options the Node build validates to another configuration', 'revalidated'],
      ] as const
    ).map(([title, problem]: readonly [string, RecordProblem]) => [
      title,
      STARTUP_MESSAGES.VALIDATED_POLICY_INVALID(problem, 0, 1),
    ]),
  ],
];

/** The parts the edge build carries only on request: the error's part name, and what to write. */
export const EDGE_OPT_INS: readonly [part: string, text: string][] = [
  [
    'PolicyValidation',
    [
      'A Worker passed CORS options, which the edge build validates only once asked. Either validate',
      'them at build time, in Node, and pass the record (no validator in the Worker):',
      '',
      '```js',
      '// build-cors.mjs, run before `wrangler deploy`',
      "import { writeFileSync } from 'node:fs';",
      "import { prevalidatePolicy } from 'corsproof';",
      "const policy = prevalidatePolicy({ origins: ['https://app.example.com'], credentials: true });",
      "writeFileSync('src/cors-policy.json', JSON.stringify(policy));",
      '',
      '// src/worker.js',
      "import policy from './cors-policy.json';",
      "import { withCors } from 'corsproof/fetch';",
      'export default { fetch: withCors(policy, handler) };',
      '```',
      '',
      'or call `includePolicyValidation()` from `corsproof` before creating the middleware (about 5.5 KB',
      'gzipped more), which an origins predicate, `onDecision` or a `debug` logger object need.',
    ].join('\n'),
  ],
  [
    'PathTables',
    [
      '`cors.paths(table)` compiles its table, and the edge build carries the compiler only once',
      'asked: call `includePathTables()` from `corsproof` before creating the middleware, or pass a',
      'table compiled with `compilePathTable()`.',
    ].join('\n'),
  ],
  [
    'DecisionLog',
    [
      'A policy with `onDecision` needs the decision log, which the edge build carries only once',
      'asked: call `includeDecisionLog()` from `corsproof` before creating the middleware, or remove',
      '`onDecision`. (Validating options with `onDecision` also needs `includePolicyValidation()`.)',
    ].join('\n'),
  ],
];

/** docs/errors.md. */
export function renderErrorsDoc(): string {
  const lines = [
    '# Start-up errors: what they mean and how to fix them',
    '',
    '<!-- Written by packages/corsproof/scripts/write-errors-doc.mjs from',
    '     packages/corsproof/src/policy/startup-messages.ts; do not edit by hand. -->',
    '',
    'The Node build of corsproof says in each error what was wrong and what to write instead. The',
    'edge build (Workers: the `workerd`, `worker` and `browser` export conditions) keeps the stable',
    'code and a few words, and links the entry here for the rest, so the words do not weigh on',
    'every Worker. Configuration problems inside a policy (`CorsConfigError` codes such as',
    '`ORIGIN_INVALID`) keep their full words in both builds.',
    '',
    '## Codes',
    '',
  ];
  for (const [code, cases] of CODES) {
    lines.push(`### ${code}`, '');
    for (const [title, words] of cases) {
      lines.push(`- ${title}: ${words.reason}. Fix: ${words.fix}.`);
    }
    lines.push('');
  }
  lines.push('## Parts a Worker includes on request', '');
  for (const [part, text] of EDGE_OPT_INS) {
    lines.push(`### ${part}AbsentError`, '', text, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
