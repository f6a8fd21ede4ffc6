/**
 * Scrolling a result into view below the sticky top bar. `scrollIntoView` puts the element at the
 * very top of the viewport, under the bar; the bar's height changes with the width (the navigation
 * wraps on a phone), so it is measured rather than assumed.
 */

/** Gap left between the bar and the element, in CSS pixels. */
const GAP = 12;

export function scrollBelowHeader(element: Element): void {
  const bar = document.querySelector('.topbar');
  const covered = bar === null ? 0 : bar.getBoundingClientRect().bottom;
  const top = element.getBoundingClientRect().top + window.scrollY - Math.max(0, covered) - GAP;
  window.scrollTo({ top: Math.max(0, top), behavior: 'auto' });
}
