import { PageHeading } from '../../components/page-heading';
import { BatchForm } from './batch-form';
import { BatchRun } from './batch-run';

export function BatchView({ id }: { id: string | null }) {
  return (
    <>
      <PageHeading title="Batch runs">
        Check or audit many endpoints at once: paste a list or upload a CSV, and watch them finish.
      </PageHeading>
      {id === null ? <BatchForm /> : <BatchRun id={id} />}
      {id === null ? null : (
        <p>
          <a href="#/batches">Start another batch</a>
        </p>
      )}
    </>
  );
}
