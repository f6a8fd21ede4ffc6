/** What every section gets and gives back. */
import type { LoadGenerator } from '../middleware/load.js';
import type { TargetResult } from './format.js';
import type { Options } from './options.js';

export interface Context {
  readonly options: Options;
  readonly log: (line: string) => void;
  /** The load generator, found (or installed) on first use. */
  loadGenerator(): LoadGenerator;
}

export interface SectionResult {
  readonly title: string;
  readonly markdown: string;
  readonly targets: readonly TargetResult[];
}
