import type realCors from 'cors';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import cors, { type CorsOptions, type CorsOptionsDelegate, type CorsRequest } from './index.js';

describe('corsproof/compat types', () => {
  it('accept options and delegates typed with @types/cors', () => {
    expectTypeOf<realCors.CorsOptions>().toExtend<CorsOptions>();
    expectTypeOf<realCors.CorsOptionsDelegate>().toExtend<CorsOptionsDelegate>();
    expectTypeOf<realCors.CorsOptionsDelegate<express.Request>>().toExtend<
      CorsOptionsDelegate<express.Request>
    >();
  });

  it('reach the types through the function, as `cors.CorsOptions` does', () => {
    expectTypeOf<cors.CorsOptions>().toEqualTypeOf<CorsOptions>();
    expectTypeOf<cors.CorsRequest>().toEqualTypeOf<CorsRequest>();
  });

  it('give a middleware Express takes, with a delegate that sees the Express request', () => {
    const app = express();
    app.use(cors());
    app.options('/items', cors({ origin: ['https://app.example.com', /^https:\/\/x\.example$/] }));
    app.use(
      cors((req: express.Request, callback) => {
        expectTypeOf(req.path).toBeString();
        callback(null, { origin: req.path === '/public' });
      }),
    );
  });

  it('have no any in the options', () => {
    expectTypeOf<CorsOptions['origin']>().not.toBeAny();
    expectTypeOf<CorsOptions['methods']>().not.toBeAny();
    expectTypeOf<ReturnType<typeof cors>>().parameters.not.toBeAny();
  });
});
