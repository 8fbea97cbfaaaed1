// Reading a site's current files from the host, and writing a site (or its previous state) back.
import { FerryError, type Host } from '@ferry/core'
import { applyNginxChange, type FileChange } from './apply-change.js'
import { nginxCommands } from './nginx-commands.js'
import type { NginxSettings, SitePaths } from './nginx-options.js'
import { readOptional } from './remote-read.js'
import { parseSpec, type SiteSpec } from './site-spec.js'

/** A site's files as they are on the host: the config text and the sites-enabled link target. */
export interface SiteState {
  text: string | null
  link: string | null
}

/**
 * Reads a site's config (and link) from the host; `null` where absent.
 * @example
 * const { text } = await readSiteState(host, paths, settings)
 */
export async function readSiteState(
  host: Host,
  paths: SitePaths,
  nginx: NginxSettings,
): Promise<SiteState> {
  const sudo = nginx.sudo
  const text = (await readOptional(host, paths.configPath, { sudo }))?.toString('utf8') ?? null
  let link: string | null = null
  if (paths.enabledPath) {
    const out = await host.run(nginxCommands.readLink(paths.enabledPath), {
      sudo,
      check: false,
      quiet: true,
    })
    link = out.exitCode === 0 ? out.stdout.trim() : null
  }
  return { text, link }
}

/**
 * The ferry spec in a site file; throws CONFLICT when the file exists but ferry did not write it.
 * @example
 * const spec = ownSpec(state, paths) // undefined for a new site
 */
export function ownSpec(state: SiteState, paths: SitePaths): SiteSpec | undefined {
  if (state.text === null) return undefined
  const spec = parseSpec(state.text)
  if (!spec)
    throw new FerryError(
      'CONFLICT',
      `${paths.configPath} exists and was not written by ferry; refusing to replace it. Choose another site name or move the file away.`,
    )
  return spec
}

/**
 * The file changes that make the host hold `text` (and the link, in `sites` layout).
 * @example
 * await applyNginxChange(host, siteChanges(paths, text), { nginx })
 */
export function siteChanges(paths: SitePaths, state: SiteState): FileChange[] {
  const changes: FileChange[] = [
    state.text === null
      ? { path: paths.configPath, remove: true }
      : { path: paths.configPath, content: state.text, mode: 0o644 },
  ]
  if (paths.enabledPath)
    changes.push(
      state.link === null
        ? { path: paths.enabledPath, remove: true }
        : { path: paths.enabledPath, linkTo: state.link },
    )
  return changes
}

/**
 * True when the host already holds exactly this state.
 * @example
 * if (sameState(current, wanted)) return { changed: false }
 */
export function sameState(a: SiteState, b: SiteState): boolean {
  return a.text === b.text && a.link === b.link
}

/**
 * Puts a site's files into a state transactionally (test, reload, restore on failure).
 * @example
 * await writeSiteState(host, { paths, state: previous }, { nginx })
 */
export async function writeSiteState(
  host: Host,
  site: { paths: SitePaths; state: SiteState },
  options: { nginx: NginxSettings; signal?: AbortSignal },
): Promise<void> {
  await applyNginxChange(host, siteChanges(site.paths, site.state), options)
}
