import { describe, expect, it } from 'vitest';
import { checkInputsOf, EMPTY_FORM } from './form-model';

const form = { ...EMPTY_FORM, url: 'https://api.example/credential' };

describe('checkInputsOf', () => {
  it('runs the one check the form describes outside Galxe mode', () => {
    expect(checkInputsOf({ ...form, method: 'PUT' }).map((i) => i.method)).toEqual(['PUT']);
  });

  it("runs both of Galxe's probes in Galxe mode, the form's method first", () => {
    const post = checkInputsOf({ ...form, emulate: 'galxe', method: 'POST', body: '{}' });
    expect(post.map((i) => [i.method, i.emulate, i.body])).toEqual([
      ['POST', 'galxe', '{}'],
      ['GET', 'galxe', undefined],
    ]);
    const get = checkInputsOf({ ...form, emulate: 'galxe' });
    expect(get.map((i) => i.method)).toEqual(['GET', 'POST']);
  });
});
