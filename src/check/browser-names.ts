/** The browsers the checker imitates, as names only: what option parsers list without the checker. */
export type BrowserName = 'chromium' | 'firefox' | 'webkit';

export const BROWSER_NAMES: readonly BrowserName[] = ['chromium', 'firefox', 'webkit'];
