/**
 * The checker writes header names and values between backticks (`Access-Control-Allow-Origin: *`);
 * show those as code, everything else as plain text (never as HTML).
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
