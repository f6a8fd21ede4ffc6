/**
 * Hosts written outside a URL (a `Host` header, a listen address, a pinned IP address), brought to
 * the form the URL standard serializes them in, which is the form every host question in spec/
 * takes. https://url.spec.whatwg.org/#hosts-(domains-and-ip-addresses)
 */

/**
 * https://url.spec.whatwg.org/#concept-host-parser for a special URL's host, by the platform's URL
 * parser: the host serialized (https://url.spec.whatwg.org/#concept-host-serializer), or null when
 * `input` is not a valid host. An IPv6 address may come with or without its brackets.
 *
 * @example
 * parseHost('LOCALHOST')   // 'localhost'
 * parseHost('0x7f.1')      // '127.0.0.1'
 * parseHost('::1')         // '[::1]'
 * parseHost('a.test:8080') // null (a port is not part of a host)
 */
export function parseHost(input: string): string | null {
  if (input.length === 0) return null;
  const bracketed = input.charCodeAt(0) === 0x5b;
  if (bracketed && input.charCodeAt(input.length - 1) !== 0x5d) return null;
  let colon = false;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    // Whitespace is stripped or skipped by the URL parser, and `/ ? # @ \` end the host or mark
    // userinfo: text with any of them would be read as another host than the one written.
    if (c <= 0x20 || c === 0x7f || c === 0x2f || c === 0x3f || c === 0x23 || c === 0x40)
      return null;
    if (c === 0x5c) return null;
    if (c === 0x3a) colon = true;
  }
  // Outside brackets a colon would start a port; an unbracketed host with one can only be IPv6.
  const text = colon && !bracketed ? `[${input}]` : input;
  try {
    return new URL(`http://${text}/`).hostname;
  } catch {
    return null;
  }
}
