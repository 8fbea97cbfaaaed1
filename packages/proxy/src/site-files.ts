// Reading a site's current files from the host, and writing a site (or its previous state) back.
import { CommandError, FerryError, type EventSink, type Host } from '@ferry/core'
import { applyNginxChange, type FileChange } from './apply-change.js'
import { ensureNginx } from './ensure-nginx.js'
import { NGINX_MISSING, nginxCommands } from './nginx-commands.js'
import { sitePaths, type NginxSettings, type SitePaths } from './nginx-options.js'
import { parseSpec, type SiteSpec } from './site-spec.js'

/** A site's files as they are on the host: the config text and the sites-enabled link target. */
export interface SiteState {
  text: string | null
  link: string | null
}

/**
 * Everything ferry needs before it changes a site, in one remote command: nginx is there
 * (installed when missing and allowed), the ACME webroot exists, the layout, and the site's
 * current files.
 * @example
 * const { paths, current } = await openSite(host, settings, { site: 'web', emit })
 */
export async function openSite(
  host: Host,
  nginx: NginxSettings,
  o: { site: string; emit: EventSink; signal?: AbortSignal },
): Promise<{ paths: SitePaths; current: SiteState }> {
  const inspect = () =>
    host.run(nginxCommands.inspectSite(nginx, o.site), {
      sudo: nginx.sudo,
      check: false,
      quiet: true,
      signal: o.signal,
    })
  let r = await inspect()
  if (r.exitCode === NGINX_MISSING) {
    await ensureNginx(host, nginx, { emit: o.emit, signal: o.signal })
    r = await inspect()
  }
  if (r.exitCode !== 0)
    throw new CommandError({
      host: host.name,
      command: `read site ${o.site}`,
      exitCode: r.exitCode,
      stderr: r.stderr,
    })
  const out = r.stdoutBuffer
  const lines: string[] = []
  let at = 0
  while (lines.length < 3) {
    const end = out.indexOf(10, at)
    if (end < 0) break
    lines.push(out.subarray(at, end).toString('utf8'))
    at = end + 1
  }
  const [layout, link, text] = lines
  const paths = sitePaths(nginx, layout === 'sites' ? 'sites' : 'conf.d', o.site)
  return {
    paths,
    current: {
      link: paths.enabledPath && link?.startsWith('link ') ? link.slice(5) : null,
      text: text === 'text' ? out.subarray(at).toString('utf8') : null,
    },
  }
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
  options: { nginx: NginxSettings; signal?: AbortSignal; emit?: EventSink },
): Promise<void> {
  await applyNginxChange(host, siteChanges(site.paths, site.state), options)
}
