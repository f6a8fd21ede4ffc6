import Koa, { type Middleware } from 'koa';
import { describe, expectTypeOf, it } from 'vitest';
import { cors, corsPolicies, type KoaCors } from './index.js';

describe('corsproof/koa types', () => {
  it('makes Koa middleware, for apps with their own state and context too', () => {
    const mw = cors({ origins: ['https://app.example'] });
    expectTypeOf(mw).toEqualTypeOf<Middleware>();
    new Koa().use(mw);
    interface State {
      user?: string;
    }
    interface Custom {
      tenant: string;
    }
    new Koa<State, Custom>().use(cors.paths({ '/api/*': { origins: '*' } })).use(cors.none());
  });

  it('types named policies', () => {
    const cp = corsPolicies({ policies: { partners: { origins: ['https://partner.example'] } } });
    expectTypeOf(cp).toEqualTypeOf<KoaCors>();
    expectTypeOf(cp.route('partners')).toEqualTypeOf<Middleware>();
    // @ts-expect-error a registry has no `origins`
    corsPolicies({ origins: '*' });
  });
});
