/**
 * A string that counts its character reads, so a test can assert on the work a parser does
 * without a clock (which would flake on a loaded machine). It is a `String` object whose
 * `charCodeAt` counts; `length` and `slice` behave as on the string itself.
 */
export function countedString(s: string): { value: string; reads: () => number } {
  let reads = 0;
  const boxed = Object.assign(Object(s) as object, {
    charCodeAt(i: number): number {
      reads++;
      return s.charCodeAt(i);
    },
  });
  return { value: boxed as unknown as string, reads: () => reads };
}
