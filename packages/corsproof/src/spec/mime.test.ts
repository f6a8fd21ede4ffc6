import { describe, expect, it } from 'vitest';
import { mimeEssence } from './mime.js';

describe('mimeEssence', () => {
  it.each([
    { name: 'a plain type and subtype', input: 'text/plain', essence: 'text/plain' },
    { name: 'the type and subtype are lower-cased', input: 'Text/Plain', essence: 'text/plain' },
    { name: 'parameters are skipped', input: 'TEXT/PLAIN;CHARSET=UTF-8', essence: 'text/plain' },
    { name: 'an empty parameter list is fine', input: 'text/plain;', essence: 'text/plain' },
    { name: 'a parameter without "=" is fine', input: 'text/plain;garbage', essence: 'text/plain' },
    {
      name: 'a lone quote in the parameters is fine',
      input: 'text/plain;"',
      essence: 'text/plain',
    },
    {
      name: 'an unterminated quoted parameter is fine',
      input: 'text/plain;charset="utf-8',
      essence: 'text/plain',
    },
    {
      name: 'whitespace before ";" ends the subtype',
      input: 'text/plain \t;charset=utf-8',
      essence: 'text/plain',
    },
    {
      name: 'leading and trailing HTTP whitespace is removed',
      input: ' \r\n\ttext/plain \t\r\n',
      essence: 'text/plain',
    },
    {
      name: 'the form-urlencoded type',
      input: 'application/x-www-form-urlencoded',
      essence: 'application/x-www-form-urlencoded',
    },
    {
      name: 'multipart with a boundary',
      input: 'multipart/form-data; boundary=----x',
      essence: 'multipart/form-data',
    },
    {
      name: 'a structured-syntax suffix',
      input: 'application/ld+json',
      essence: 'application/ld+json',
    },
    {
      name: 'tchar punctuation in type and subtype',
      input: "!#$%&'*+-.^_`|~/x",
      essence: "!#$%&'*+-.^_`|~/x",
    },
    { name: 'a wildcard type', input: '*/*', essence: '*/*' },
  ])('$name: $input gives $essence', ({ input, essence }) => {
    expect(mimeEssence(input)).toBe(essence);
  });

  it.each([
    { name: 'the empty string', input: '' },
    { name: 'whitespace only', input: ' \t' },
    { name: 'no slash', input: 'text' },
    { name: 'an empty subtype', input: 'text/' },
    { name: 'an empty subtype before parameters', input: 'text/;charset=utf-8' },
    { name: 'an empty type', input: '/plain' },
    { name: 'a space before the slash', input: 'text /plain' },
    { name: 'a space after the slash', input: 'text/ plain' },
    { name: 'tabs around the slash', input: 'text\t/\tplain' },
    { name: 'a trailing comma', input: 'text/plain,' },
    { name: 'a leading comma', input: ',text/plain' },
    { name: 'two types in a list', input: 'text/plain,text/plain' },
    { name: 'another type after a comma', input: 'text/plain,x/x' },
    { name: 'a trailing vertical tab (not HTTP whitespace)', input: 'text/plain\u000b' },
    { name: 'a trailing form feed (not HTTP whitespace)', input: 'text/plain\u000c' },
    { name: 'a trailing no-break space', input: 'text/plain\u00a0' },
    { name: 'a second slash', input: 'text/plain/x' },
    { name: 'a space inside the subtype', input: 'text/plain extra' },
    { name: 'a parenthesis in the type', input: 'te(xt/plain' },
    { name: 'a non-ASCII letter in the type', input: 'tëxt/plain' },
    { name: 'a quoted type', input: '"text/plain"' },
  ])('fails for $name: $input', ({ input }) => {
    expect(mimeEssence(input)).toBeNull();
  });
});
