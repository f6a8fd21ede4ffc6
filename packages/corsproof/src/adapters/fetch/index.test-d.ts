import { describe, expectTypeOf, it } from 'vitest';
import { cors, corsPolicies, type FetchHandler, withCors } from './index.js';

interface Env {
  DB: string;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

describe('corsproof/fetch types', () => {
  it('keeps the handler signature, extra arguments included', () => {
    const plain = withCors({ origins: '*' }, () => new Response('ok'));
    expectTypeOf(plain).toEqualTypeOf<FetchHandler<[]>>();
    expectTypeOf(plain).returns.toEqualTypeOf<Response | Promise<Response>>();
    const worker = withCors(
      { origins: ['https://app.example'] },
      async (_request: Request, env: Env, ctx: ExecutionContext) => {
        ctx.waitUntil(Promise.resolve());
        return new Response(env.DB);
      },
    );
    expectTypeOf(worker).parameters.toEqualTypeOf<[Request, Env, ExecutionContext]>();
    const exported: { fetch(request: Request, env: Env, ctx: ExecutionContext): unknown } = {
      fetch: worker,
    };
    expectTypeOf(exported).not.toBeAny();
  });

  it('takes a prevalidated policy as a JSON import types it', () => {
    // `import policy from './cors-policy.json'`: TypeScript widens the record's literals.
    const stored = JSON.parse('{}') as {
      corsproof: string;
      version: number;
      config: { origins: { kind: string; serialized: string }[]; credentials: boolean };
      check: string;
    };
    expectTypeOf(withCors(stored, () => new Response('ok'))).toEqualTypeOf<FetchHandler<[]>>();
    expectTypeOf(cors(stored)).toBeFunction();
  });

  it('wraps with paths, names and none', () => {
    const handler = (request: Request) => new Response(request.url);
    expectTypeOf(cors.paths({ '/api/*': { origins: '*' } })(handler)).toEqualTypeOf<
      FetchHandler<[]>
    >();
    const cp = corsPolicies({ policies: { open: { origins: '*' } } });
    expectTypeOf(
      cp.route('open')(handler, { onError: () => new Response(null, { status: 500 }) }),
    ).toEqualTypeOf<FetchHandler<[]>>();
    // @ts-expect-error a handler returns a Response
    withCors({ origins: '*' }, () => 'text');
    // @ts-expect-error withCors takes one policy; names need corsPolicies
    withCors('open', handler);
  });
});
