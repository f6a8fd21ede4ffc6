import { describe, expect, it } from 'vitest';
import { checkCommand } from './check-command.js';

describe('checkCommand', () => {
  it('writes the request as corsproof check flags, quoting for the shell', () => {
    expect(
      checkCommand({
        url: 'https://api.example/items?a=1&b=2',
        origin: 'https://app.example',
        method: 'PUT',
        headers: [['Content-Type', 'application/json']],
        requestedHeaderNames: null,
        credentials: true,
        browser: 'firefox',
      }),
    ).toBe(
      "corsproof check 'https://api.example/items?a=1&b=2' --origin https://app.example -X PUT -H 'Content-Type: application/json' --credentials --browser firefox",
    );
  });

  it('masks a credential and names headers only a preflight kept', () => {
    expect(
      checkCommand({
        url: 'https://api.example/x',
        origin: 'https://app.example',
        method: 'GET',
        headers: [['Authorization', 'Bearer abc.def']],
        requestedHeaderNames: 'authorization, x-trace',
        credentials: false,
        browser: 'chromium',
      }),
    ).toBe(
      "corsproof check https://api.example/x --origin https://app.example -H 'Authorization: Bearer ****' -H 'x-trace: <value>'",
    );
  });
});
