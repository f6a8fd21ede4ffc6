/**
 * The lines a batch was started without, handed from the form to the batch's own page (the form
 * is gone once the batch runs). Kept for this tab's session only: the service never saw them.
 */
const skippedByBatch = new Map<string, readonly string[]>();

export function rememberSkipped(batchId: string, lines: readonly string[]): void {
  if (lines.length > 0) skippedByBatch.set(batchId, lines);
}

export function skippedLines(batchId: string): readonly string[] {
  return skippedByBatch.get(batchId) ?? [];
}
