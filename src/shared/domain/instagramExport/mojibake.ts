/**
 * Instagram's export writes every string as its UTF-8 bytes, each byte escaped as one code point (`"caf\u00c3\u00a9"`
 * for "café"), so JSON.parse yields Latin-1 mojibake. Repairing it is reading the code points back as bytes and
 * decoding them as UTF-8.
 */

// `fatal` makes an invalid sequence throw instead of turning into U+FFFD, which is how genuine text is told apart;
// `ignoreBOM` keeps a leading U+FEFF as text rather than dropping it silently.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text with Instagram's mojibake undone. Only a string whose every code point is a byte (≤ U+00FF), with at least
 * one above ASCII, and whose bytes form valid UTF-8 is repaired; anything else is genuine text and is returned as is
 * ("café" written properly is not valid UTF-8 as bytes, "東京" is beyond Latin-1, plain ASCII needs nothing).
 */
export function repairMojibake(text: string): string {
  let beyondAscii = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0xff) return text;
    if (code > 0x7f) beyondAscii = true;
  }
  if (!beyondAscii) return text;
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return text;
  }
}
