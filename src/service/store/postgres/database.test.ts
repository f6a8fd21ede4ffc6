/** Which driver errors mean "the database cannot be reached" (no server needed). */
import { describe, expect, it } from 'vitest';
import { describeServer, isConnectionFailure } from './database.js';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('a connection failure', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an unknown host', withCode('ENOTFOUND')],
    ['Node trying every address of a name', new AggregateError([withCode('ECONNREFUSED')], '')],
    ['the pool waiting too long', new Error('timeout exceeded when trying to connect')],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['SQLSTATE 08006 connection_failure', withCode('08006')],
    ['SQLSTATE 57P01 admin_shutdown', withCode('57P01')],
    ['SQLSTATE 57P03 cannot_connect_now', withCode('57P03')],
    ['SQLSTATE 53300 too_many_connections', withCode('53300')],
  ])('is %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505', 'duplicate key value')],
    ['a syntax error (42601)', withCode('42601', 'syntax error')],
    ['a deadlock (40P01), which the caller must see', withCode('40P01', 'deadlock detected')],
    ['a thrown string', 'ECONNREFUSED'],
  ])('is not %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe('the server named in messages', () => {
  it('keeps host, port and database, never the password', () => {
    expect(describeServer('postgres://u:secret@db.internal:6432/corsproof')).toBe(
      'db.internal:6432/corsproof',
    );
    expect(describeServer('postgres://u@127.0.0.1/test')).toBe('127.0.0.1:5432/test');
    expect(describeServer('not a url')).toBe('the PostgreSQL server');
  });
});
