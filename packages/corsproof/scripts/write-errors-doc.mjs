/**
 * Writes docs/errors.md (the page the edge build's short start-up errors link to) from the Node
 * build's words, src/policy/startup-messages.ts, through dist/ (run `npm run build` first):
 *
 *   node packages/corsproof/scripts/write-errors-doc.mjs
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { renderErrorsDoc } = await import(
  new URL('../dist/policy/startup-messages-doc.js', import.meta.url).href
);
writeFileSync(
  fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)),
  renderErrorsDoc(),
);
