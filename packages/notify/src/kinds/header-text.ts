/**
 * People's words in HTTP headers, for services that read a title from one
 * (ntfy): HTTP headers carry ASCII, and Node refuses any other character,
 * so text beyond it travels as RFC 2047 encoded-words
 * (`=?UTF-8?B?…?=`), which such services decode. Pure.
 */

/** Bytes of UTF-8 per encoded-word: its base64 then stays within the 75 characters RFC 2047 §2 allows a word. */
const WORD_BYTES = 45;

/**
 * `text` as a header value: control characters (a newline would end the
 * header) become spaces; printable ASCII goes as it is, anything else as
 * encoded-words, split on character boundaries.
 */
export function headerText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not reach a header.
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  const words: string[] = [];
  let word = '';
  for (const character of flat) {
    if (Buffer.byteLength(word + character) > WORD_BYTES) {
      words.push(word);
      word = '';
    }
    word += character;
  }
  if (word) words.push(word);
  // Decoders join adjacent encoded-words, dropping the space between them (RFC 2047 §6.2).
  return words.map((each) => `=?UTF-8?B?${Buffer.from(each, 'utf8').toString('base64')}?=`).join(' ');
}
