// Text helpers shared by every adapter: file-name slugs, HTML ids and HTML escaping.

/** A file-name-safe slug of `text` (lower case, `-` between words, at most 60 characters). */
export function slug(text: string, fallback = 'run'): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || fallback
  );
}

/** `text` usable as an HTML id or a figure's file stem: letters, digits, `_` and `-` kept (case too), runs of anything else one `-`. */
export function htmlId(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe inside HTML or SVG text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
