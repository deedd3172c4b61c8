/**
 * Hosted agent names: lowercase letters, digits, `-`, `_` and `.`, 1 to 63 characters, starting
 * with a letter or digit. Short and DNS-friendly, so a name is also safe in URLs, file names and
 * Durable Object names.
 */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-_.]{0,62}$/;

/**
 * Longest accepted external agent URL. Browsers and CDNs commonly cap URLs near 2 KiB; a longer
 * "address" is much more likely junk than an agent.
 */
export const MAX_AGENT_URL_LENGTH = 2048;

/** Whether `value` is a hosted agent name (see {@link AGENT_NAME_PATTERN}). */
export function isAgentName(value: unknown): value is string {
  return typeof value === "string" && AGENT_NAME_PATTERN.test(value);
}

// The WHATWG URL parser silently strips surrounding whitespace and control characters and
// accepts a few oddities; checking the raw text first keeps the address we route to byte-for-byte
// the address the sender wrote.
const URL_TEXT = /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i;

/** Whether `value` is an absolute `http:` or `https:` URL (an external agent's endpoint). */
export function isAgentUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > MAX_AGENT_URL_LENGTH || !URL_TEXT.test(value)) {
    return false;
  }
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * Whether `value` can name an agent in `sender`, `receiver` or `reply_to`: a hosted agent name or
 * an http(s) URL of an external agent.
 */
export function isAgentAddress(value: unknown): value is string {
  return isAgentName(value) || isAgentUrl(value);
}
