// Private key files: created 0600 from the first byte (O_EXCL, never chmod after), and never
// silently overwritten: an existing file is refused unless the caller says `overwrite`.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { FerryError, reveal, ValidationError, type Secret } from '@ferry/core'

/**
 * Refuses (before anything is created) to write a key over an existing file, unless asked.
 * @example
 * assertKeyFileFree('/home/me/.ssh/web.pem', { overwrite: false })
 */
export function assertKeyFileFree(path: string, options: { overwrite?: boolean } = {}): string {
  const file = keyPath(path)
  if (!options.overwrite && existsSync(file))
    throw new FerryError(
      'CONFLICT',
      `Refusing to overwrite the existing key file ${file}: move it away, choose another path, or pass overwrite: true.`,
    )
  return file
}

/**
 * Writes a private key file with mode 0600. Without `overwrite`, fails if the file exists
 * (O_EXCL); with it, writes a 0600 temp file beside it and renames it into place.
 * @example
 * await writeKeyFile('/home/me/.ssh/web.pem', new Secret(pem))
 */
export async function writeKeyFile(
  path: string,
  data: string | Secret,
  options: { overwrite?: boolean } = {},
): Promise<string> {
  const file = keyPath(path)
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  if (!options.overwrite) {
    await writeExclusive(file, reveal(data)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') assertKeyFileFree(file)
      throw error
    })
    return file
  }
  const temp = `${file}.ferry-${randomBytes(6).toString('hex')}`
  try {
    await writeExclusive(temp, reveal(data))
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  return file
}

/**
 * An absolute, NUL-free path for a key file (relative paths resolve against the cwd).
 * @example
 * keyPath('web.pem') // '/home/me/project/web.pem'
 */
export function keyPath(path: unknown, field = 'key file path'): string {
  if (typeof path !== 'string' || path === '' || path.includes('\0') || path.endsWith('/'))
    throw new ValidationError({ field, value: path, allowed: 'a file path' })
  return isAbsolute(path) ? path : resolve(path)
}

async function writeExclusive(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600)
  try {
    await handle.writeFile(text)
    await handle.sync()
  } catch (error) {
    // A half-written key is worse than none: remove what this call created.
    await handle.close().catch(() => undefined)
    await rm(file, { force: true })
    throw error
  }
  await handle.close()
}
