// Redaction of secret values in text a host sent back (output lines, stderr tails, container
// logs). Exact matches are not enough: output cut at a width, or a program printing a prefix,
// shows part of a value; any piece of SCRUB_PIECE characters or more is redacted too.
import { REDACTED } from './secret.js'

/**
 * The shortest piece of a secret that is redacted on its own (whole values of 4+ characters
 * always are). Eight characters of a random token are already worth guessing from.
 * @example
 * SCRUB_PIECE // 8
 */
export const SCRUB_PIECE = 8

/**
 * Replaces every secret value (4+ characters), and every piece of one of SCRUB_PIECE characters
 * or more, in text with [REDACTED]; touching pieces become one redaction.
 * @example
 * scrub(stderrTail, [token.reveal()])
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED)
  const pieces = new Set<string>()
  for (const s of secrets)
    for (let i = 0; i + SCRUB_PIECE <= s.length; i++) pieces.add(s.slice(i, i + SCRUB_PIECE))
  if (pieces.size === 0) return out
  // Mark every character inside a window that is a piece, then redact each marked run.
  const marked = new Uint8Array(out.length)
  for (let i = 0; i + SCRUB_PIECE <= out.length; i++)
    if (pieces.has(out.slice(i, i + SCRUB_PIECE))) marked.fill(1, i, i + SCRUB_PIECE)
  let result = ''
  for (let i = 0; i < out.length;) {
    if (!marked[i]) {
      result += out[i++]
      continue
    }
    while (marked[i]) i++
    result += REDACTED
  }
  return result
}
