/**
 * A running (or finished) batch: live progress over server-sent events, the targets' table, and
 * the details of the one picked.
 *
 * Order matters: the stream sends only results that finish after it opened, so the stored ones
 * are read once its first `progress` has arrived; anything finished in between is in both, and
 * merging by position keeps one.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, fetchBatchExport, getBatch, watchBatch } from '../../api';
import { ErrorNotice, Loading } from '../../components/notice';
import { ProgressBar } from '../../components/progress-bar';
import { ShareLink } from '../../components/share-link';
import { toApiError } from '../../hooks/use-resource';
import { recordHref } from '../../router';
import type { BatchKind, BatchProgress, BatchTarget } from '../../types';
import { BatchTable } from './batch-table';
import { skippedLines } from './skipped-lines';
import { TargetDetails } from './target-details';

const PAGE_SIZE = 100;

type Targets = ReadonlyMap<number, BatchTarget>;

/** A finished target is never replaced by an older, unfinished copy of itself. */
function merge(current: Targets, incoming: readonly BatchTarget[]): Targets {
  const next = new Map(current);
  for (const target of incoming) {
    const known = next.get(target.position);
    if (known === undefined || known.state !== 'done') next.set(target.position, target);
  }
  return next;
}

/** Lines of the submitted list that are not in the batch, as `corsproof batch` lists them. */
function SkippedLines({ lines }: { lines: readonly string[] }) {
  if (lines.length === 0) return null;
  return (
    <div class="notice notice--warning skipped-lines" role="note">
      <strong>
        Skipped {lines.length} line{lines.length === 1 ? '' : 's'}; the others run:
      </strong>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

/** Saves the API's export of a batch as a file, sent with the tab's token. */
async function saveExport(id: string, format: 'csv' | 'json'): Promise<void> {
  const { blob, filename } = await fetchBatchExport(id, format);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The download has its own copy once started; the next task is late enough to let go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function ExportButtons({ id }: { id: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  const save = (format: 'csv' | 'json') => {
    setError(null);
    saveExport(id, format).catch((caught: unknown) => setError(toApiError(caught)));
  };
  return (
    <>
      <p class="batch-run__export">
        Download:{' '}
        <button type="button" class="button button--small" onClick={() => save('csv')}>
          CSV
        </button>{' '}
        <button type="button" class="button button--small" onClick={() => save('json')}>
          JSON
        </button>
      </p>
      {error === null ? null : <ErrorNotice error={error} />}
    </>
  );
}

/** The later of two snapshots of the counts. */
function later(a: BatchProgress | null, b: BatchProgress): BatchProgress {
  return a !== null && a.done > b.done ? a : b;
}

export function BatchRun({ id }: { id: string }) {
  const [kind, setKind] = useState<BatchKind | null>(null);
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [targets, setTargets] = useState<Targets>(new Map());
  const [finished, setFinished] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const details = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    let stop = () => {};
    setKind(null);
    setProgress(null);
    setTargets(new Map());
    setFinished(false);
    setError(null);
    setSelected(null);

    const readAll = async () => {
      let cursor: string | undefined;
      do {
        const page = await getBatch(id, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
        if (!live) return;
        setTargets((current) => merge(current, page.results.items));
        setProgress((current) => later(current, page.progress));
        if (page.status === 'done') setFinished(true);
        cursor = page.results.nextCursor ?? undefined;
      } while (cursor !== undefined);
    };

    // The first page says the batch exists and what it runs, before the stream is opened.
    getBatch(id, { limit: 1 }).then(
      (batch) => {
        if (!live) return;
        setKind(batch.kind);
        setProgress(batch.progress);
        let read = false;
        stop = watchBatch(id, {
          onProgress: (next) => {
            setProgress((current) => later(current, next));
            if (read) return;
            read = true;
            readAll().catch((caught: unknown) => live && setError(toApiError(caught)));
          },
          onResult: (target) => setTargets((current) => merge(current, [target])),
          onDone: (final) => {
            setProgress(final);
            setFinished(true);
          },
          onError: (caught) => live && setError(caught),
        });
      },
      (caught: unknown) => live && setError(toApiError(caught)),
    );
    return () => {
      live = false;
      stop();
    };
  }, [id]);

  useEffect(() => {
    if (selected !== null) details.current?.focus();
  }, [selected]);

  if (kind === null || progress === null) {
    return error === null ? <Loading what="the batch" /> : <ErrorNotice error={error} />;
  }
  const list = [...targets.values()];
  const picked = selected === null ? undefined : targets.get(selected);
  return (
    <>
      <section class="card batch-run" aria-labelledby="batch-run-title">
        <div class="card__head">
          <h2 id="batch-run-title" class="card__title">
            {finished ? 'Batch finished' : 'Batch running…'}
          </h2>
          <ShareLink href={recordHref('batch', id)} what="batch" />
        </div>
        <ExportButtons id={id} />
        <ProgressBar
          progress={progress}
          label={`${kind === 'check' ? 'Checks' : 'Audits'} completed`}
        />
        {error === null ? null : <ErrorNotice error={error} />}
        <SkippedLines lines={skippedLines(id)} />
        {progress.errors === 0 ? null : (
          <p class="notice notice--warning" role="note">
            <strong>
              {progress.errors} of {progress.total} target{progress.total === 1 ? '' : 's'} could
              not be {kind === 'check' ? 'checked' : 'audited'}.
            </strong>{' '}
            They have no verdict, not a pass: open a row marked Error for what happened and what to
            do.
          </p>
        )}
        {list.length === 0 ? null : (
          <BatchTable
            kind={kind}
            targets={list}
            selected={selected}
            onSelect={(position) => setSelected(position === selected ? null : position)}
          />
        )}
      </section>
      {picked === undefined ? null : (
        <TargetDetails focusRef={details} target={picked} onClose={() => setSelected(null)} />
      )}
    </>
  );
}
