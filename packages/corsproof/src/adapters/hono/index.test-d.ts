import { Hono, type MiddlewareHandler } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { cors, corsPolicies, type HonoCors } from './index.js';

describe('corsproof/hono types', () => {
  it('makes Hono middleware, for apps with bindings and variables too', () => {
    const mw = cors({ origins: ['https://app.example'] });
    expectTypeOf(mw).toEqualTypeOf<MiddlewareHandler>();
    new Hono().use(mw);
    const app = new Hono<{ Bindings: { DB: string }; Variables: { user: string } }>();
    app.use('/api/*', cors.paths({ '/api/*': { origins: '*' } }));
    app.use('/internal/*', cors.none());
    app.get('/', (c) => c.text(c.env.DB));
  });

  it('types named policies', () => {
    const cp = corsPolicies({ default: false, policies: { open: { origins: '*' } } });
    expectTypeOf(cp).toEqualTypeOf<HonoCors>();
    expectTypeOf(cp()).toEqualTypeOf<MiddlewareHandler>();
    // @ts-expect-error `allowMethods` is hono/cors's name; corsproof says `methods`
    cors({ origins: '*', allowMethods: ['PUT'] });
  });
});
