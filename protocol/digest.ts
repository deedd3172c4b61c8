/** The SHA-256 of some bytes as lowercase hex, with Web Crypto (runs in Node, Workers and browsers). */
export async function sha256Hex(bytes: BufferSource): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}
