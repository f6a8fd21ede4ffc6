/** The batch form's "API description" input: a description pasted, uploaded or linked. */
import { TextField } from '../../components/field';
import type { OpenApiFields } from './batch-request';

export function OpenApiInput({
  fields,
  onFields,
}: {
  readonly fields: OpenApiFields;
  readonly onFields: (fields: OpenApiFields) => void;
}) {
  const readFile = async (input: HTMLInputElement) => {
    const chosen = input.files?.[0];
    if (chosen === undefined) return;
    onFields({ ...fields, text: await chosen.text() });
  };
  return (
    <>
      <div class="span-all field">
        <label class="field__label" for="batch-openapi-text">
          API description
        </label>
        <textarea
          id="batch-openapi-text"
          class="input input--code"
          rows={8}
          value={fields.text}
          spellcheck={false}
          placeholder={'openapi: 3.1.0\ninfo: { title: My API, version: "1" }\npaths: ...'}
          aria-describedby="batch-openapi-text-hint"
          onInput={(event) => onFields({ ...fields, text: event.currentTarget.value })}
        />
        <p class="field__hint" id="batch-openapi-text-hint">
          OpenAPI 3.0, 3.1 or Swagger 2.0, YAML or JSON: paste it, or upload it with{' '}
          <input
            id="batch-openapi-file"
            class="file"
            type="file"
            accept=".yaml,.yml,.json,application/json,application/yaml"
            aria-label="Upload an API description"
            onChange={(event) => void readFile(event.currentTarget)}
          />
          . Every operation becomes a target, with the headers it needs (placeholder credentials for
          its security). Only GET and HEAD requests are sent; other operations get their preflight
          alone.
        </p>
      </div>
      <TextField
        id="batch-openapi-url"
        label="Or a link to it"
        type="url"
        code
        value={fields.url}
        disabled={fields.text.trim() !== ''}
        placeholder="https://api.example.com/openapi.json"
        onValue={(url) => onFields({ ...fields, url })}
        hint="Fetched by the service, from a public address."
      />
      <TextField
        id="batch-openapi-base"
        label="Base URL"
        type="url"
        code
        value={fields.baseUrl}
        placeholder="https://api.example.com/v1"
        onValue={(baseUrl) => onFields({ ...fields, baseUrl })}
        hint="Where the API is, if not the description's first server."
      />
      <TextField
        id="batch-openapi-include"
        label="Only"
        code
        value={fields.include}
        placeholder="tag:public /users/**"
        onValue={(include) => onFields({ ...fields, include })}
        hint={
          <>
            Path globs (<code>*</code> within a segment, <code>**</code> across) or{' '}
            <code>tag:NAME</code>; empty for every operation.
          </>
        }
      />
      <TextField
        id="batch-openapi-exclude"
        label="Leave out"
        code
        value={fields.exclude}
        placeholder="/internal/** tag:admin"
        onValue={(exclude) => onFields({ ...fields, exclude })}
      />
    </>
  );
}
