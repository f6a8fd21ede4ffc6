/** The request-headers editor: name/value rows added and removed by button, keyboard included. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { PlusIcon, TrashIcon } from './icons';

export interface HeaderRow {
  /** Stable identity for the row (its position changes when rows above are removed). */
  readonly key: number;
  readonly name: string;
  readonly value: string;
}

let nextKey = 1;

export function newHeaderRow(name = '', value = ''): HeaderRow {
  return { key: nextKey++, name, value };
}

export function HeaderRows({
  idBase,
  rows,
  onRows,
  error,
}: {
  idBase: string;
  rows: readonly HeaderRow[];
  onRows: (rows: HeaderRow[]) => void;
  error?: string | null;
}) {
  // Where focus goes after the rows change: the new row's name, or the add button.
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusTarget === null) return;
    const target = focusTarget === 'add' ? addButton.current : document.getElementById(focusTarget);
    target?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const update = (key: number, change: Partial<Pick<HeaderRow, 'name' | 'value'>>) =>
    onRows(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const add = () => {
    const row = newHeaderRow();
    onRows([...rows, row]);
    setFocusTarget(`${idBase}-name-${row.key}`);
  };
  const remove = (key: number) => {
    onRows(rows.filter((row) => row.key !== key));
    setFocusTarget('add');
  };

  return (
    <fieldset class={`field header-rows${error ? ' field--invalid' : ''}`}>
      <legend class="field__label">Request headers</legend>
      {rows.length === 0 ? (
        <p class="field__hint">
          None set by the page. The browser adds its own (Accept, User-Agent, Origin…).
        </p>
      ) : (
        <ul class="header-rows__list">
          {rows.map((row, i) => {
            const nameId = `${idBase}-name-${row.key}`;
            const valueId = `${idBase}-value-${row.key}`;
            return (
              <li key={row.key} class="header-row">
                <label class="visually-hidden" for={nameId}>
                  Header {i + 1} name
                </label>
                <input
                  id={nameId}
                  class="input input--code"
                  value={row.name}
                  placeholder="Authorization"
                  autocomplete="off"
                  spellcheck={false}
                  onInput={(event) => update(row.key, { name: event.currentTarget.value })}
                />
                <label class="visually-hidden" for={valueId}>
                  Header {i + 1} value
                </label>
                <input
                  id={valueId}
                  class="input input--code"
                  value={row.value}
                  placeholder="Bearer …"
                  autocomplete="off"
                  spellcheck={false}
                  onInput={(event) => update(row.key, { value: event.currentTarget.value })}
                />
                <button
                  type="button"
                  class="button button--icon button--quiet"
                  aria-label={`Remove header ${i + 1}${row.name ? ` (${row.name})` : ''}`}
                  onClick={() => remove(row.key)}
                >
                  <TrashIcon />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {error ? <p class="field__error">{error}</p> : null}
      <button
        ref={addButton}
        type="button"
        class="button button--small header-rows__add"
        onClick={add}
      >
        <PlusIcon />
        Add header
      </button>
    </fieldset>
  );
}
