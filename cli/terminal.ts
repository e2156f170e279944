// Text from users' files (names, keys, paths) reaches the terminal only through `printable`: an
// escape sequence in a spec's name could otherwise retitle, recolour or clear the terminal, and a
// bidirectional override could make the line read as something else.

/** `text` with every control character (C0, DEL, C1, bidi controls) shown as a `\u001b`-style escape. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `printable`, and line breaks too: for one-line messages. */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\r]/g, (c) => (c === '\n' ? '\\n' : '\\r'));
}
