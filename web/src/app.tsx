/** The shell: skip link, top bar with the main navigation, the routed view, and the footer. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession } from './api';
import { LogoMark } from './components/icons';
import { LazyView } from './components/lazy-view';
import { PageHeading } from './components/page-heading';
import { type Route, useRoute, type View, viewHref } from './router';
import { currentToken, isSignInNeeded, onSessionChange, signOut } from './session';
import type { Session } from './types';
import { AccessView } from './views/access/access-view';
import { SignIn } from './views/access/sign-in';
import { AuditView } from './views/audit/audit-view';
import { BatchView } from './views/batch/batch-view';
import { CheckView } from './views/check/check-view';
import { HistoryView } from './views/history-view';
import { MonitorsView } from './views/monitors/monitors-view';

// Loaded on first visit: they carry the generators and importers (see LazyView).
const loadGenerate = () => import('./views/generate/generate-view').then((m) => m.GenerateView);
const loadImport = () => import('./views/import/import-view').then((m) => m.ImportView);
const loadExplain = () => import('./views/explain/explain-view').then((m) => m.ExplainView);

const NAV: readonly { readonly view: Exclude<View, 'not-found'>; readonly label: string }[] = [
  { view: 'check', label: 'Check' },
  { view: 'history', label: 'History' },
  { view: 'audit', label: 'Audit' },
  { view: 'batch', label: 'Batch' },
  { view: 'monitors', label: 'Monitors' },
  { view: 'generate', label: 'Generate' },
  { view: 'import', label: 'Import' },
  { view: 'explain', label: 'Explain' },
  { view: 'access', label: 'Access' },
];

const TITLES: Readonly<Record<View, string>> = {
  check: 'Check',
  history: 'History',
  audit: 'Audit',
  batch: 'Batch',
  monitors: 'Monitors',
  generate: 'Generate',
  import: 'Import',
  explain: 'Explain',
  access: 'Access',
  'not-found': 'Not found',
};

function Content({ route }: { route: Route }) {
  switch (route.view) {
    case 'check':
      return <CheckView id={route.id} />;
    case 'history':
      return <HistoryView />;
    case 'audit':
      return <AuditView id={route.id} />;
    case 'batch':
      return <BatchView id={route.id} />;
    case 'monitors':
      return <MonitorsView id={route.id} />;
    case 'generate':
      return <LazyView load={loadGenerate} what="generator" />;
    case 'import':
      return <LazyView load={loadImport} what="importer" />;
    case 'explain':
      return <LazyView load={loadExplain} what="explainer" />;
    case 'access':
      return <AccessView />;
    case 'not-found':
      return (
        <PageHeading title="Nothing here">
          There is no page at <code>{route.path}</code>. <a href="#/">Check a request</a> instead.
        </PageHeading>
      );
  }
}

/**
 * Who this tab is: asks the service once, and again after every sign-in or sign-out. A 401 from
 * any call (see `api.ts`) makes `signInNeeded` true.
 */
function useSession(): { session: Session | null; signInNeeded: boolean } {
  const [signInNeeded, setNeeded] = useState(isSignInNeeded());
  const [session, setSession] = useState<Session | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(
    () =>
      onSessionChange(() => {
        setNeeded(isSignInNeeded());
        setVersion((v) => v + 1);
      }),
    [],
  );
  useEffect(() => {
    if (signInNeeded) {
      setSession(null);
      return;
    }
    let current = true;
    getSession().then(
      (s) => current && setSession(s),
      () => current && setSession(null),
    );
    return () => {
      current = false;
    };
  }, [version, signInNeeded]);
  return { session, signInNeeded };
}

function Account({ session }: { session: Session | null }) {
  if (session === null || session.auth === 'off' || currentToken() === null) return null;
  return (
    <p class="account">
      <span>
        {session.name} ({session.scope})
      </span>{' '}
      <button type="button" class="button button--small" onClick={() => signOut()}>
        Sign out
      </button>
    </p>
  );
}

export function App() {
  const route = useRoute();
  const { session, signInNeeded } = useSession();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After moving to another view, put focus on its heading so a screen reader starts there. Not
  // when only the record changes (a check just run): focus stays on the form's button.
  useEffect(() => {
    document.title = `${TITLES[route.view]} · corsproof`;
    if (first.current) {
      first.current = false;
      return;
    }
    // A view still loading its code has no heading yet: main holds focus until it does.
    (main.current?.querySelector<HTMLElement>('h1') ?? main.current)?.focus();
  }, [route.view]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar__inner">
          <a class="brand" href="#/">
            <LogoMark />
            <span>corsproof</span>
          </a>
          <nav class="nav" aria-label="Main">
            <ul class="nav__list">
              {NAV.map((item) => (
                <li key={item.view}>
                  <a
                    class="nav__link"
                    href={viewHref(item.view)}
                    aria-current={item.view === route.view ? 'page' : undefined}
                  >
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <Account session={session} />
        </div>
      </header>
      <main id="main" class="main" ref={main} tabIndex={-1}>
        {signInNeeded ? <SignIn /> : <Content route={route} />}
      </main>
      <footer class="footer">
        <p>
          Checks, audits, batches and monitors run from this server, imitating the browser you pick,
          so your own browser sends nothing to the targets; Generate, Import and Explain run in this
          page.
        </p>
      </footer>
    </>
  );
}
