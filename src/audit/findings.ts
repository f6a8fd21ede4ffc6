/**
 * The catalogue of CORS misconfigurations the auditor reports: stable ids, base severity, why each
 * matters and how to fix it. The network auditor and the static policy auditor share it, so a
 * finding means the same thing whichever found it.
 */

export type Severity = 'info' | 'low' | 'medium' | 'high';

export const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high'];

/**
 * One level up, for findings proven with `Access-Control-Allow-Credentials: true`.
 *
 * @example
 * raiseSeverity('medium') // 'high'
 */
export function raiseSeverity(severity: Severity): Severity {
  const i = SEVERITY_ORDER.indexOf(severity);
  return SEVERITY_ORDER[Math.min(i + 1, SEVERITY_ORDER.length - 1)] as Severity;
}

/**
 * One level down, never below `low`: a proven bug stays visible (`info` stays `info`).
 *
 * @example
 * lowerSeverity('high') // 'medium'
 */
export function lowerSeverity(severity: Severity): Severity {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i <= 1 ? severity : (SEVERITY_ORDER[i - 1] as Severity);
}

/**
 * Whether `severity` is `floor` or worse: the CLI exits 1 for findings at least `medium`.
 *
 * @example
 * severityAtLeast('high', 'medium') // true
 */
export function severityAtLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) >= SEVERITY_ORDER.indexOf(floor);
}

export type FindingId =
  | 'origin-reflected-any'
  | 'null-origin-trusted'
  | 'prefix-match-bypass'
  | 'suffix-match-bypass'
  | 'substring-match-bypass'
  | 'unescaped-dot-regex'
  | 'special-char-bypass'
  | 'any-subdomain-trusted'
  | 'insecure-scheme-trusted'
  | 'any-port-trusted'
  | 'dev-origin-trusted'
  | 'third-party-origin-trusted'
  | 'wildcard-origin'
  | 'wildcard-with-credentials'
  | 'invalid-acao'
  | 'acac-invalid-value'
  | 'missing-vary-origin'
  | 'preflight-reflects-anything'
  | 'dangerous-methods-allowed'
  | 'acah-wildcard-authorization'
  | 'preflight-non-2xx'
  | 'preflight-redirects'
  | 'redirect-missing-acao'
  | 'max-age-excessive'
  | 'tainted-origin-null'
  | 'private-network-target'
  | 'policy-refused';

/**
 * What a finding is about: a hole an attacker's page can use (`security`), or an answer that makes
 * the trusted origin's own requests fail in every browser (`breakage`): reported apart, so a
 * security review and a "why does our app fail" hunt each see their own.
 */
export type FindingCategory = 'security' | 'breakage';

/** The kinds whose findings are breakage; every other kind is security. */
const BREAKAGE: ReadonlySet<FindingId> = new Set<FindingId>([
  'invalid-acao',
  'acac-invalid-value',
  'preflight-non-2xx',
  'preflight-redirects',
  'redirect-missing-acao',
]);

/** A finding kind's category. */
export function categoryOf(id: FindingId): FindingCategory {
  return BREAKAGE.has(id) ? 'breakage' : 'security';
}

export interface FindingKind {
  readonly id: FindingId;
  readonly title: string;
  /** Severity without credentials; raised one level when the proof carried credentials. */
  readonly severity: Severity;
  /** Whether `Access-Control-Allow-Credentials: true` raises it. */
  readonly credentialsRaise: boolean;
  readonly why: string;
  readonly fix: string;
}

const kinds: readonly FindingKind[] = [
  {
    id: 'origin-reflected-any',
    title: 'Any origin is trusted (the Origin header is reflected)',
    severity: 'medium',
    credentialsRaise: true,
    why: 'Any web site the victim visits can read the responses; with credentials it reads them as the signed-in user.',
    fix: 'Allow an explicit list of origins instead of echoing the Origin header.',
  },
  {
    id: 'null-origin-trusted',
    title: 'The null origin is trusted',
    severity: 'medium',
    credentialsRaise: true,
    why: 'Any site can send Origin: null from a sandboxed iframe or a data: URL, so trusting null trusts everyone.',
    fix: 'Never allow "null"; remove it from the allow-list.',
  },
  {
    id: 'prefix-match-bypass',
    title: 'Origins are matched by prefix',
    severity: 'medium',
    credentialsRaise: true,
    why: 'An attacker registers a domain that starts with the trusted host (trusted.example.com.attacker.net) and is trusted.',
    fix: 'Compare the whole origin, or anchor a pattern at both ends.',
  },
  {
    id: 'suffix-match-bypass',
    title: 'Origins are matched by suffix without a dot boundary',
    severity: 'medium',
    credentialsRaise: true,
    why: 'An attacker registers a domain that ends with the trusted name (attackerexample.com) and is trusted.',
    fix: 'Match subdomains only at a dot boundary (".example.com"), or list exact origins.',
  },
  {
    id: 'substring-match-bypass',
    title: 'Origins are matched by substring',
    severity: 'medium',
    credentialsRaise: true,
    why: 'Any domain that contains (part of) the trusted name is trusted.',
    fix: 'Compare whole origins instead of searching within them.',
  },
  {
    id: 'unescaped-dot-regex',
    title: 'A regular expression leaves a dot unescaped',
    severity: 'medium',
    credentialsRaise: true,
    why: 'An unescaped "." matches any character, so an attacker can register appxexample.com for app.example.com.',
    fix: 'Escape dots in origin patterns ("\\."), or use exact origins and subdomain patterns instead of regular expressions.',
  },
  {
    id: 'special-char-bypass',
    title: 'Origins with special characters after the trusted host are trusted',
    severity: 'low',
    credentialsRaise: true,
    why: 'Some browsers send hosts with characters such as "_" (Chromium, Firefox) or "`" and "{" (Safari); a parser that stops at them trusts the attacker\'s domain behind.',
    fix: 'Parse the origin with a URL parser and compare the whole host.',
  },
  {
    id: 'any-subdomain-trusted',
    title: 'Every subdomain is trusted',
    severity: 'low',
    credentialsRaise: true,
    why: 'A cross-site scripting flaw or a dangling DNS record on any subdomain becomes access to this API.',
    fix: 'List the subdomains that need access, or make sure every subdomain is under your control and free of script injection.',
  },
  {
    id: 'insecure-scheme-trusted',
    title: 'An http: origin is trusted',
    severity: 'low',
    credentialsRaise: true,
    why: 'Anyone on the network path (public Wi-Fi) can inject script into an http: page of the trusted host and use its trust.',
    fix: 'Trust only https: origins.',
  },
  {
    id: 'any-port-trusted',
    title: 'The trusted host is trusted on any port',
    severity: 'low',
    credentialsRaise: true,
    why: 'Another service on the same host (a dev server, an admin tool) can use the trust.',
    fix: 'Compare the port too: list the exact origins.',
  },
  {
    id: 'dev-origin-trusted',
    title: 'A development origin (localhost) is trusted',
    severity: 'low',
    credentialsRaise: true,
    why: "Any program on a user's machine that serves localhost can read responses as that user.",
    fix: 'Remove localhost and loopback origins from the production allow-list.',
  },
  {
    id: 'third-party-origin-trusted',
    title: 'A third-party origin is trusted',
    severity: 'medium',
    credentialsRaise: true,
    why: "Sites such as *.github.io, codepen.io or jsfiddle.net run anybody's script, so trusting them trusts everyone; another site named in Access-Control-Allow-Origin extends the trust to whatever runs there.",
    fix: 'Remove shared-hosting and foreign origins from the allow-list; list only origins you control.',
  },
  {
    id: 'wildcard-origin',
    title: 'Access-Control-Allow-Origin: *',
    severity: 'info',
    credentialsRaise: false,
    why: "Fine for public data; a problem when the endpoint serves data based on network position (an intranet, IP allow-lists), which any site can then read through a visitor's browser.",
    fix: 'Keep "*" for public data only; list origins for anything else.',
  },
  {
    id: 'wildcard-with-credentials',
    title: 'Access-Control-Allow-Origin: * together with credentials',
    severity: 'info',
    credentialsRaise: false,
    why: 'Browsers refuse this combination, so credentialed requests fail; the common "fix" of reflecting the origin instead is dangerous.',
    fix: 'Either drop Access-Control-Allow-Credentials for public data, or list the origins that may send credentials.',
  },
  {
    id: 'invalid-acao',
    title: 'Access-Control-Allow-Origin has a value browsers reject',
    severity: 'medium',
    credentialsRaise: false,
    why: 'Browsers compare the value byte for byte with the origin they sent: several values, a trailing "/", upper case or a default port make every request fail.',
    fix: 'Send exactly one origin, as the browser sent it in Origin.',
  },
  {
    id: 'acac-invalid-value',
    title: 'Access-Control-Allow-Credentials has a value other than "true"',
    severity: 'medium',
    credentialsRaise: false,
    why: 'Browsers accept only the exact value "true"; "True", "1" or a quoted value fail credentialed requests.',
    fix: 'Send Access-Control-Allow-Credentials: true, or leave the header out.',
  },
  {
    id: 'missing-vary-origin',
    title: 'The CORS headers depend on Origin but Vary: Origin is missing',
    // The base; each instance takes the severity of its cache harm (vary-harm.ts).
    severity: 'low',
    credentialsRaise: false,
    why: "A shared cache (CDN, proxy) that may store an answer (RFC 9111) serves one origin's answer to another: a signed-in user's credentialed answer goes to whoever asks next, or a legitimate origin gets an answer that blocks it.",
    fix: 'Add "Vary: Origin" to every response whose CORS headers depend on the Origin header.',
  },
  {
    id: 'preflight-reflects-anything',
    title: 'Preflights approve any method and header asked for',
    severity: 'low',
    credentialsRaise: false,
    why: 'Echoing Access-Control-Request-Method/-Headers (or answering "*") approves methods and headers the endpoint never meant to accept, which turns off the preflight as a safety net.',
    fix: 'Answer preflights with the methods and headers the endpoint really accepts.',
  },
  {
    id: 'dangerous-methods-allowed',
    title: 'An untrusted origin may send state-changing methods',
    severity: 'low',
    credentialsRaise: true,
    why: 'Once the preflight passes, the browser sends the PUT, DELETE or PATCH (with cookies when credentials are allowed) even if script cannot read the answer: cross-site request forgery.',
    fix: 'Refuse preflights from origins you do not trust.',
  },
  {
    id: 'acah-wildcard-authorization',
    title: 'Authorization is allowed only through Access-Control-Allow-Headers: *',
    severity: 'info',
    credentialsRaise: false,
    why: 'The Fetch standard says "*" never covers Authorization; Chromium and Firefox still let it through today but have announced they will stop.',
    fix: 'List Authorization explicitly in Access-Control-Allow-Headers.',
  },
  {
    id: 'preflight-non-2xx',
    title: 'Preflights get a status outside 200-299',
    severity: 'info',
    credentialsRaise: false,
    why: 'Browsers fail every preflighted request, whatever the CORS headers say (often an auth layer or router answering OPTIONS).',
    fix: 'Answer OPTIONS preflights with 204 before authentication and routing.',
  },
  {
    id: 'preflight-redirects',
    title: 'Preflights are redirected',
    severity: 'info',
    credentialsRaise: false,
    why: 'Browsers never follow a redirect on a preflight, so every preflighted request fails.',
    fix: 'Answer the preflight at the URL requested (often a trailing-slash or http-to-https redirect).',
  },
  {
    id: 'redirect-missing-acao',
    title: 'A redirect on the way has no Access-Control-Allow-Origin',
    severity: 'info',
    credentialsRaise: false,
    why: 'Browsers run the CORS check on every redirect response, so the request fails at that hop.',
    fix: 'Add the CORS headers to the redirect response too, or call the final URL directly.',
  },
  {
    id: 'max-age-excessive',
    title: 'Access-Control-Max-Age is above what browsers honour',
    severity: 'info',
    credentialsRaise: false,
    why: 'WebKit caps it at 600 seconds, Chromium at 7200 and Firefox at 86400; a larger value only suggests a longer cache than any browser keeps.',
    fix: 'Use at most 7200.',
  },
  {
    id: 'tainted-origin-null',
    title: 'An endpoint reached by a cross-origin redirect trusts the null origin',
    severity: 'medium',
    credentialsRaise: true,
    why: 'After a redirect to another origin the browser sends Origin: null (the Fetch standard\'s tainted origin), so the endpoint behind it was made to allow "null"; any site can send Origin: null from a sandboxed iframe and read that endpoint directly.',
    fix: 'Call the final URL directly from the trusted origin (no cross-origin redirect) and stop allowing "null" there; if its data is public, answer "*" without credentials instead.',
  },
  {
    id: 'private-network-target',
    title: 'A public origin may reach this private-network endpoint',
    severity: 'medium',
    credentialsRaise: true,
    why: "Private Network Access makes a public page's request to a private or local address wait for a preflight with Access-Control-Request-Private-Network: true; answering Access-Control-Allow-Private-Network: true to an untrusted origin lets any web site the user visits reach the device or intranet service through their browser. (Chromium now asks the user instead, through the Local Network Access prompt; the header still opens the door where the preflight is enforced.)",
    fix: 'Answer Access-Control-Allow-Private-Network: true only to the origins that must reach this address, after the ordinary CORS origin check.',
  },
  {
    id: 'policy-refused',
    title: 'corsproof refuses the policy',
    severity: 'high',
    credentialsRaise: false,
    why: 'compilePolicy throws at start-up, so a server using this policy does not start; what the policy asks for is insecure or cannot work in a browser (each issue says which).',
    fix: 'Change the policy as each issue says, then audit it again.',
  },
];

export const FINDING_KINDS: ReadonlyMap<FindingId, FindingKind> = new Map(
  kinds.map((k) => [k.id, k]),
);

/**
 * The catalogue entry of an id: title, base severity, why and fix.
 *
 * @example
 * findingKind('null-origin-trusted').severity // 'medium'
 */
export function findingKind(id: FindingId): FindingKind {
  return FINDING_KINDS.get(id) as FindingKind;
}

/** Evidence: what was sent and what came back. */
export interface Evidence {
  /** Which exchange this is, e.g. "GET from https://x.example" or "preflight for PUT". */
  readonly label?: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: readonly (readonly [string, string])[];
  };
  readonly response?: {
    readonly status: number;
    readonly headers: readonly (readonly [string, string])[];
  };
}

/** One finding: what, how bad, proven by which origin, with the evidence. */
export interface Finding {
  readonly id: FindingId;
  /** Security (an attacker's page gains) or breakage (the trusted origin's requests fail). */
  readonly category: FindingCategory;
  readonly severity: Severity;
  readonly title: string;
  /** The origin that proved it (or the configured value, for a static audit). */
  readonly origin: string;
  /** One sentence about this instance. */
  readonly message: string;
  readonly why: string;
  readonly fix: string;
  /** Whether the proof carried Access-Control-Allow-Credentials: true. */
  readonly credentials: boolean;
  /** What a browser at `origin` could do: read responses, or send state-changing requests. */
  readonly impact?: 'read' | 'send' | 'none';
  /**
   * Every crafted origin this finding explains, `origin` first: a reflected Origin lets all of them
   * through, and is reported once rather than once per origin.
   */
  readonly origins?: readonly string[];
  readonly evidence: readonly Evidence[];
}

/**
 * Builds a finding from its kind, raising the severity for credentialed proofs.
 *
 * @example
 * makeFinding('origin-reflected-any', {
 *   origin: 'https://cp1.example',
 *   message: 'https://cp1.example can read responses with credentials',
 *   credentials: true,
 *   impact: 'read',
 * }).severity // 'high'
 */
export function makeFinding(
  id: FindingId,
  fields: {
    origin: string;
    message: string;
    credentials: boolean;
    impact?: 'read' | 'send' | 'none';
    origins?: readonly string[];
    evidence?: readonly Evidence[];
    /**
     * A ceiling, for proofs only some browsers can exploit: an origin only Safari can send stays
     * low even with credentials.
     */
    maxSeverity?: Severity;
    /**
     * The base severity of this instance, where the harm decides it rather than the kind (the
     * cache harm of `missing-vary-origin`, an error answer with no data); credentials still raise it.
     */
    severity?: Severity;
  },
): Finding {
  const kind = findingKind(id);
  const base = fields.severity ?? kind.severity;
  const raised = fields.credentials && kind.credentialsRaise ? raiseSeverity(base) : base;
  const severity =
    fields.maxSeverity !== undefined && !severityAtLeast(fields.maxSeverity, raised)
      ? fields.maxSeverity
      : raised;
  return {
    id,
    category: categoryOf(id),
    severity,
    title: kind.title,
    origin: fields.origin,
    message: fields.message,
    why: kind.why,
    fix: kind.fix,
    credentials: fields.credentials,
    ...(fields.impact === undefined ? {} : { impact: fields.impact }),
    ...(fields.origins === undefined ? {} : { origins: fields.origins }),
    evidence: fields.evidence ?? [],
  };
}

/**
 * Sorts findings most severe first, then by id, and keeps one per (id, origin).
 *
 * @example
 * sortFindings([lowFinding, highFinding])[0] === highFinding // true
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique: Finding[] = [];
  for (const f of findings) {
    const key = `${f.id}\u0000${f.origin}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  return unique.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) ||
      a.id.localeCompare(b.id),
  );
}
