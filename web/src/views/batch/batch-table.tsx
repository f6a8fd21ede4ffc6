/** A batch's targets, sortable by any column; a row's details open below the table. */
import { useState } from 'preact/hooks';
import { OutcomeBadge, SeverityBadge, VerdictBadge } from '../../components/badges';
import type { BatchKind, BatchTarget, Verdict } from '../../types';
import { type Row, SEVERITY_RANK, toRow } from './target-row';

const VERDICT_RANK: Readonly<Record<Verdict, number>> = {
  blocked: 0,
  error: 1,
  inconclusive: 2,
  allowed: 3,
};

interface Column {
  readonly key: string;
  readonly label: string;
  readonly compare: (a: Row, b: Row) => number;
}

const byText = (pick: (row: Row) => string) => (a: Row, b: Row) => pick(a).localeCompare(pick(b));
const byRank = (pick: (row: Row) => number) => (a: Row, b: Row) => pick(a) - pick(b);
/** Unfinished targets sort after every finished one. */
const UNFINISHED = 99;

const POSITION: Column = { key: 'position', label: '#', compare: byRank((r) => r.position) };

/** URL, origin and method: what was checked. */
const TARGET: readonly Column[] = [
  { key: 'url', label: 'URL', compare: byText((r) => r.url) },
  { key: 'origin', label: 'Origin', compare: byText((r) => r.origin) },
];

const DETAIL: Column = { key: 'detail', label: 'Detail', compare: byText((r) => r.detail) };

// The outcome comes right after the position, so a narrow screen shows it without scrolling.
const COLUMNS: Readonly<Record<BatchKind, readonly Column[]>> = {
  check: [
    POSITION,
    {
      key: 'verdict',
      label: 'Verdict',
      compare: byRank((r) => (r.verdict === null ? UNFINISHED : VERDICT_RANK[r.verdict])),
    },
    ...TARGET,
    { key: 'method', label: 'Method', compare: byText((r) => r.method) },
    DETAIL,
  ],
  audit: [
    POSITION,
    {
      key: 'severity',
      label: 'Worst finding',
      compare: byRank((r) =>
        r.severity !== null
          ? SEVERITY_RANK[r.severity]
          : r.verdict === 'error'
            ? 5
            : r.state === 'done'
              ? 9
              : UNFINISHED,
      ),
    },
    { key: 'findings', label: 'Findings', compare: byRank((r) => -r.findings) },
    ...TARGET,
    DETAIL,
  ],
};

function Cell({
  column,
  row,
  selected,
  onSelect,
}: {
  column: Column;
  row: Row;
  selected: boolean;
  onSelect: () => void;
}) {
  switch (column.key) {
    case 'position':
      return <>{row.position + 1}</>;
    case 'url':
      // The URL opens the target's details below the table, once it has a result.
      return row.hasDetails ? (
        <button
          type="button"
          class="link-button cell-code"
          aria-pressed={selected}
          aria-controls="target-details"
          title={row.url}
          onClick={onSelect}
        >
          {row.url}
        </button>
      ) : (
        <span class="cell-code" title={row.url}>
          {row.url}
        </span>
      );
    case 'origin':
      return <span class="cell-code">{row.origin}</span>;
    case 'method':
      return <span class="method">{row.method}</span>;
    case 'verdict':
      return row.verdict === null ? (
        <span class="meta">{row.state === 'running' ? 'Running' : 'Waiting'}</span>
      ) : (
        <VerdictBadge verdict={row.verdict} />
      );
    case 'severity':
      // A target that could not be audited (or not run) is an error, never "None".
      if (row.verdict === 'error') return <OutcomeBadge outcome="error" />;
      if (row.severity !== null) return <SeverityBadge severity={row.severity} />;
      if (row.state !== 'done') return <span class="meta">Waiting</span>;
      return row.incomplete ? (
        <span class="badge badge--inconclusive">Incomplete</span>
      ) : (
        <span class="meta">None</span>
      );
    case 'findings':
      return <>{row.state === 'done' && row.verdict !== 'error' ? row.findings : ''}</>;
    default:
      return <span class="cell-detail">{row.detail}</span>;
  }
}

export function BatchTable({
  kind,
  targets,
  selected,
  onSelect,
}: {
  kind: BatchKind;
  targets: readonly BatchTarget[];
  selected: number | null;
  onSelect: (position: number) => void;
}) {
  const [sort, setSort] = useState({ key: 'position', descending: false });
  const columns = COLUMNS[kind];
  const column = columns.find((c) => c.key === sort.key) ?? POSITION;
  const rows = targets.map(toRow);
  const sign = sort.descending ? -1 : 1;
  rows.sort((a, b) => sign * column.compare(a, b) || a.position - b.position);
  const toggle = (key: string) =>
    setSort(sort.key === key ? { key, descending: !sort.descending } : { key, descending: false });

  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls sideways; Safari's keyboard reaches a scroller only with a tab stop
    <section class="table-wrap" aria-labelledby="batch-table-caption" tabIndex={0}>
      <table class="table">
        <caption id="batch-table-caption">
          {rows.length} targets, sorted by {column === POSITION ? 'position' : column.label}{' '}
          {sort.descending ? 'descending' : 'ascending'}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={
                  c.key === sort.key ? (sort.descending ? 'descending' : 'ascending') : undefined
                }
              >
                <button type="button" class="sort" onClick={() => toggle(c.key)}>
                  {c.label}
                  <span class="sort__arrow" aria-hidden="true">
                    {c.key === sort.key ? (sort.descending ? '▼' : '▲') : '↕'}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.position} class={row.position === selected ? 'is-selected' : undefined}>
              {columns.map((c) => (
                <td key={c.key} class={`col-${c.key}`}>
                  <Cell
                    column={c}
                    row={row}
                    selected={row.position === selected}
                    onSelect={() => onSelect(row.position)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
