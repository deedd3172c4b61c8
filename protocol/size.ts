/**
 * Default limit on one message: 256 KiB of UTF-8 JSON. Agents may be given a different limit in
 * their manifest, within the runtime's maxima.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

const encoder = new TextEncoder();

/**
 * The size of `text` once encoded as UTF-8, the form in which messages cross the wire and the
 * agent ABI (lone surrogates count as the 3 bytes of U+FFFD, as TextEncoder writes them).
 */
export function messageByteLength(text: string): number {
  return encoder.encode(text).byteLength;
}
