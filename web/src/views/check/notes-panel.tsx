/** Warnings, and with an emulation what the emulated checker makes of it, probe by probe. */
import { AlertIcon } from '../../components/icons';
import { RichText } from '../../components/rich-text';
import type { EmulationReport, Warning } from '../../types';
import { typographic } from './words';

export function NotesPanel({
  warnings,
  emulation,
}: {
  warnings: readonly Warning[];
  emulation: EmulationReport | null;
}) {
  if (warnings.length === 0 && emulation === null) return null;
  return (
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title" class="card__title">
        Worth knowing
      </h2>
      {emulation === null ? null : <EmulationNotice report={emulation} />}
      {warnings.length === 0 ? null : (
        <ul class="warnings">
          {warnings.map((warning) => (
            <li key={`${warning.code}-${warning.message}`} class="warning">
              <AlertIcon />
              <span>
                <RichText text={warning.message} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const PROBE_MARK = { true: '✓', false: '✗', null: '–' } as const;

function EmulationNotice({ report }: { report: EmulationReport }) {
  return (
    <div class={`notice ${report.passed ? 'notice--ok' : 'notice--error'}`}>
      <strong>
        {typographic(report.name)} {report.passed ? 'passes' : 'fails'}
      </strong>{' '}
      from <code>{report.origin}</code>: {report.outcome}
      {report.trap ? (
        <> Browsers would let the request through, but {report.platform}’s own probe fails.</>
      ) : null}
      <ul>
        {report.probes.map((probe) => (
          <li key={probe.step}>
            <span aria-hidden="true">{PROBE_MARK[`${probe.passed}`]}</span> {probe.description}
            {probe.passed === null ? '' : probe.passed ? ': passes' : ': fails'}
          </li>
        ))}
        {report.notes.map((note) => (
          <li key={note}>
            <RichText text={note} />
          </li>
        ))}
      </ul>
      <p class="meta">
        The rules reproduced: <a href={report.documentation}>{report.platform}’s documentation</a>.
      </p>
    </div>
  );
}
