// SSH wire encoding (RFC 4251 §5): uint32-length strings and mpints, for key files.
import { ValidationError } from '@ferry/core'

/**
 * An SSH `string`: uint32 length, then the bytes.
 * @example
 * sshString('ssh-ed25519')
 */
export function sshString(value: Buffer | string): Buffer {
  const bytes = Buffer.from(value)
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

/**
 * An SSH `mpint` of an unsigned big-endian magnitude: leading zeros dropped, one 0x00 added
 * when the top bit is set (so it does not read as negative).
 * @example
 * sshMpint(Buffer.from([0x01, 0x00, 0x01])) // 00 00 00 03 01 00 01
 */
export function sshMpint(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length && magnitude[start] === 0) start++
  const bytes = magnitude.subarray(start)
  return sshString(
    bytes.length > 0 && bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes,
  )
}

/**
 * Reads SSH wire values from a buffer, failing with a ValidationError on truncation.
 * @example
 * new SshReader(blob).text() // 'ssh-ed25519'
 */
export class SshReader {
  #offset = 0
  constructor(
    readonly buffer: Buffer,
    readonly field = 'private key',
  ) {}

  uint32(): number {
    this.#need(4)
    const value = this.buffer.readUInt32BE(this.#offset)
    this.#offset += 4
    return value
  }

  string(): Buffer {
    const length = this.uint32()
    this.#need(length)
    const value = this.buffer.subarray(this.#offset, this.#offset + length)
    this.#offset += length
    return value
  }

  text(): string {
    return this.string().toString('utf8')
  }

  /** An mpint as its unsigned big-endian magnitude (no sign byte). */
  mpint(): Buffer {
    const bytes = this.string()
    let start = 0
    while (start < bytes.length && bytes[start] === 0) start++
    return bytes.subarray(start)
  }

  #need(n: number): void {
    if (this.#offset + n > this.buffer.length)
      throw new ValidationError({
        field: this.field,
        value: '(truncated key data)',
        allowed: 'a complete, unencrypted OpenSSH or PEM private key',
      })
  }
}
