// Pinning a new instance's SSH host key from its console output: cloud-init prints the host's
// public keys between BEGIN/END SSH HOST KEY KEYS markers on first boot.
import { fingerprint, parsePublicKey } from '@ferry/core'

/** A host public key read from the console. */
export interface ConsoleHostKey {
  type: string
  /** `type base64` (no comment), as a `{ publicKey }` host-key policy takes it. */
  publicKey: string
  fingerprint: string
}

const BEGIN = '-----BEGIN SSH HOST KEY KEYS-----'
const END = '-----END SSH HOST KEY KEYS-----'
const KEY = /\b((?:ssh|ecdsa|sk)-[a-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,2})/

/**
 * The host keys in the LAST complete key block of a console text (a reboot prints a new
 * block); lines may carry prefixes such as `ec2: ` or timestamps. Empty when there is none.
 * @example
 * parseConsoleHostKeys(consoleText).map((k) => k.fingerprint)
 */
export function parseConsoleHostKeys(text: string): ConsoleHostKey[] {
  const lines = text.replace(/\r/g, '').split('\n')
  let block: string[] | undefined
  let current: string[] | undefined
  for (const line of lines) {
    if (line.includes(BEGIN)) current = []
    else if (line.includes(END)) {
      if (current) block = current
      current = undefined
    } else current?.push(line)
  }
  const keys: ConsoleHostKey[] = []
  for (const line of block ?? []) {
    const match = KEY.exec(line)
    if (!match) continue
    try {
      const { type, blob } = parsePublicKey(`${match[1]} ${match[2]}`)
      keys.push({ type, publicKey: `${type} ${match[2]}`, fingerprint: fingerprint(blob) })
    } catch {
      // A garbled line (console output interleaves) is not a key; the others still pin.
    }
  }
  return keys
}
