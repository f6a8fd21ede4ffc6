/**
 * The API token of this tab: kept in sessionStorage (gone when the tab closes, never sent to
 * another origin), sent by `api.ts` as `Authorization: Bearer`. A 401 from the service clears it
 * and asks for a sign-in.
 */

const KEY = 'corsproof.token';

type Listener = () => void;
const listeners = new Set<Listener>();
let signInNeeded = false;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage refused (privacy settings): the token then lives only in memory.
    return null;
  }
}

let memory: string | null = storage()?.getItem(KEY) ?? null;

function changed(): void {
  for (const listener of listeners) listener();
}

export function currentToken(): string | null {
  return memory;
}

export function signIn(token: string): void {
  memory = token;
  storage()?.setItem(KEY, token);
  signInNeeded = false;
  changed();
}

export function signOut(): void {
  memory = null;
  storage()?.removeItem(KEY);
  signInNeeded = true;
  changed();
}

/** The service answered 401: the token is missing, unknown or revoked. */
export function needSignIn(): void {
  if (signInNeeded) return;
  memory = null;
  storage()?.removeItem(KEY);
  signInNeeded = true;
  changed();
}

export function isSignInNeeded(): boolean {
  return signInNeeded;
}

/** Calls `listener` after every sign-in or sign-out; returns the function that stops it. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
