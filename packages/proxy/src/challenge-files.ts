// http-01 challenge files in the ACME webroot on the host: written world-readable (nginx workers
// serve them), removed afterwards. Tokens come from the CA, so they are checked before use.
import { ValidationError, type Host } from '@ferry/core'
import type { NginxSettings } from './nginx-options.js'
import { nginxCommands } from './nginx-commands.js'
import { ACME_PATH } from './routes.js'

/** Puts and removes challenge files on a host. */
export interface ChallengeFiles {
  put(token: string, content: string): Promise<void>
  remove(token: string): Promise<void>
}

/**
 * Challenge files under `<webroot>/.well-known/acme-challenge/`.
 * @example
 * const files = challengeFiles(host, settings)
 * await files.put(token, keyAuthorization)
 */
export function challengeFiles(host: Host, nginx: NginxSettings): ChallengeFiles {
  const sudo = nginx.sudo
  return {
    async put(token, content) {
      await host.writeFile(challengePath(nginx, token), content, {
        sudo,
        atomic: true,
        mkdirs: true,
        mode: 0o644,
      })
    },
    async remove(token) {
      await host.run(nginxCommands.remove([challengePath(nginx, token)]), { sudo, quiet: true })
    },
  }
}

/**
 * Where a challenge token's file goes; the token must be base64url, as RFC 8555 requires.
 * @example
 * challengePath(settings, 'abc_DEF-1') // '/var/www/ferry-acme/.well-known/acme-challenge/abc_DEF-1'
 */
export function challengePath(nginx: NginxSettings, token: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(token))
    throw new ValidationError({ field: 'challenge token', value: token, allowed: 'base64url' })
  return `${nginx.webroot}${ACME_PATH}${token}`
}
