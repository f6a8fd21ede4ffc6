/**
 * A view whose code is fetched when it is first shown. The generate and import views carry the
 * generators, the importers and the public suffix list, several times the rest of the page: the
 * check page should not download them.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './notice';

type Loaded = { readonly view: ComponentType } | { readonly failed: string };

export function LazyView({ load, what }: { load: () => Promise<ComponentType>; what: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (view) => live && setLoaded({ view }),
      (error: unknown) => live && setLoaded({ failed: String(error) }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  useEffect(() => {
    // Arrived here by navigation, focus waited on main for the heading (see App): move it there.
    const main = document.getElementById('main');
    if (loaded !== null && main !== null && document.activeElement === main) {
      main.querySelector<HTMLElement>('h1')?.focus();
    }
  }, [loaded]);
  if (loaded === null) return <Loading what={what} />;
  if ('failed' in loaded) {
    return (
      <div class="notice notice--error" role="alert">
        <strong>Could not load the {what}</strong> {loaded.failed}. Reload the page to try again.
      </div>
    );
  }
  const View = loaded.view;
  return <View />;
}
