/**
 * The target the fleet benchmark checks: a bare node:http server that answers every request at
 * once with CORS headers allowing the request's origin (a preflight gets 204 and the allowed
 * method and headers). It listens on one port on each loopback address given in argv (default
 * 127.0.0.1), so that a batch spreads over several hosts, and prints one JSON line on stdout:
 * `{"targets":["http://127.0.0.1:PORT", ...]}`. It dies with its parent (stdin closes).
 */
import http from 'node:http';

const hosts = process.argv.slice(2);
if (hosts.length === 0) hosts.push('127.0.0.1');

function answer(req, res) {
  const origin = req.headers.origin ?? '*';
  const headers = {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...headers,
      'access-control-allow-methods': req.headers['access-control-request-method'] ?? 'GET',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
      'access-control-max-age': '600',
    });
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': 'application/json' });
  res.end('{"ok":true}');
  // Drain any body so the connection can be reused.
  req.resume();
}

const listening = hosts.map(
  (host) =>
    new Promise((resolve, reject) => {
      const server = http.createServer(answer);
      server.keepAliveTimeout = 30_000;
      server.once('error', reject);
      server.listen(0, host, () => resolve(`http://${host}:${server.address().port}`));
    }),
);

const targets = await Promise.all(listening);
process.stdout.write(`${JSON.stringify({ targets })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
