import express, { type RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import { compilePolicy } from '../../policy/compile.js';
import { type CorsMiddleware, cors, corsPolicies, type ExpressCors } from './index.js';

describe('corsproof/express types', () => {
  it('makes Connect-style middleware that Express accepts everywhere', () => {
    const mw = cors({ origins: ['https://app.example'] });
    expectTypeOf(mw).toEqualTypeOf<CorsMiddleware>();
    expectTypeOf(mw).toMatchTypeOf<RequestHandler>();
    const app = express();
    const router = express.Router();
    app.use(mw);
    app.use('/api', cors.none());
    router.use(cors.paths({ '/api/*': { origins: '*' }, '/admin/*': false }));
    app.all('/x', cors(compilePolicy({ origins: '*' })), (_req, res) => {
      res.end();
    });
    app
      .route('/y')
      .all(mw)
      .get((_req, res) => {
        res.end();
      });
  });

  it('types the factory and named policies', () => {
    expectTypeOf(cors).toEqualTypeOf<ExpressCors>();
    const cp = corsPolicies({ default: { origins: '*' }, policies: { partners: false } });
    expectTypeOf(cp.route).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(cp.route('partners')).toEqualTypeOf<CorsMiddleware>();
    expectTypeOf(corsPolicies(cp.policies)).toEqualTypeOf<ExpressCors>();
  });

  it('refuses what is not a policy', () => {
    // @ts-expect-error `origin` is the cors package's name; corsproof says `origins`
    cors({ origin: '*' });
    // @ts-expect-error true is not a policy
    cors(true);
    // @ts-expect-error names are strings
    cors.route(1);
    // @ts-expect-error a path table maps patterns to policies
    cors.paths({ '/api/*': 42 });
  });
});
