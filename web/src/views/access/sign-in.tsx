/** The sign-in: paste an API token; it is tried, then kept for this tab only. */
import { useState } from 'preact/hooks';
import { type ApiError, tryToken } from '../../api';
import { ErrorNotice } from '../../components/notice';
import { PageHeading } from '../../components/page-heading';
import { toApiError } from '../../hooks/use-resource';
import { signIn } from '../../session';

export function SignIn() {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await tryToken(token.trim());
      signIn(token.trim());
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Sign in">
        This service asks for an API token. Paste the one an admin gave you; it stays in this tab
        only and is forgotten when the tab closes.
      </PageHeading>
      <form
        class="card form"
        aria-label="Sign in"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div class="field">
          <label class="field__label" for="sign-in-token">
            API token
          </label>
          <input
            id="sign-in-token"
            class="input input--code"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            placeholder="cpt_…"
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
          <p class="field__hint">
            No token yet? The first start of <code>corsproof serve</code> prints an admin token;
            admins make more under Access, or with <code>corsproof token create</code>.
          </p>
        </div>
        {error === null ? null : (
          <ErrorNotice error={error} title={error.status === 401 ? 'Not accepted' : undefined} />
        )}
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          Sign in
        </button>
      </form>
    </>
  );
}
