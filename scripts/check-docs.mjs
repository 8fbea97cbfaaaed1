// The docs check. Fails when a relative link in docs/*.md does not resolve (file or #heading),
// when a ```ts block in docs/*.md does not type-check against the packages' sources, when
// TypeDoc warns while generating docs/api, or when an export has no JSDoc summary or no @example
// (every export has one; `--lenient` only lists the ones missing, for work in progress).
import { execFileSync } from 'node:child_process'
import console from 'node:console'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const docs = join(root, 'docs')
const strict = !process.argv.includes('--lenient')
const pages = readdirSync(docs)
  .filter((f) => f.endsWith('.md'))
  .map((f) => join(docs, f))
const problems = []

checkLinks()
checkSnippets()
checkApi()

if (problems.length > 0) {
  for (const p of problems) console.error(p)
  console.error(`docs check: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log('docs check: links, code blocks and API reference are clean')

/** Every relative link of every page points at a file that exists, and at a heading it has. */
function checkLinks() {
  let count = 0
  for (const page of pages) {
    const lines = withoutCode(readFileSync(page, 'utf8'))
    lines.forEach((line, i) => {
      for (const [, target] of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
        count++
        const [path, anchor] = target.split('#')
        const file = path ? resolve(dirname(page), path) : page
        const where = `${relative(root, page)}:${i + 1}`
        if (!existsSync(file))
          problems.push(`${where}: broken link ${target} (no ${relative(root, file)})`)
        else if (anchor && file.endsWith('.md') && !headingSlugs(file).has(anchor))
          problems.push(
            `${where}: broken link ${target} (no heading #${anchor} in ${relative(root, file)})`,
          )
      }
    })
  }
  console.log(`links: ${count} relative links checked in ${pages.length} pages`)
}

/** The page's lines with fenced code blocks and inline code blanked (links there are not links). */
function withoutCode(text) {
  let fenced = false
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced
      return ''
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, '``')
  })
}

/** GitHub's anchors for a markdown file's headings. */
function headingSlugs(file) {
  const seen = new Map()
  const slugs = new Set()
  let fenced = false
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!m) continue
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    slugs.add(n === 0 ? base : `${base}-${n}`)
  }
  return slugs
}

/** Every ```ts block (not marked `fragment`) compiles as a module against the packages' sources. */
function checkSnippets() {
  const dir = join(root, 'node_modules', '.cache', 'ferry-docs-snippets')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const origins = new Map()
  for (const page of pages) {
    const lines = readFileSync(page, 'utf8').split('\n')
    let start = -1
    lines.forEach((line, i) => {
      const open = /^```(ts|typescript)(\s+.*)?$/.exec(line)
      if (start < 0 && open && !/\bfragment\b/.test(open[2] ?? '')) start = i + 1
      else if (start >= 0 && line.startsWith('```')) {
        const name = `${relative(docs, page).replace(/\W/g, '_')}_${start}.ts`
        const code = lines.slice(start, i).join('\n')
        const moduleMarker = /^\s*(import|export)\s/m.test(code) ? '' : '\nexport {}'
        writeFileSync(join(dir, name), `${code}${moduleMarker}\n`)
        origins.set(name, { page, start })
        start = -1
      }
    })
  }
  const fromDir = (p) => relative(dir, join(root, p))
  const tsconfig = {
    extends: fromDir('tsconfig.base.json'),
    compilerOptions: {
      noEmit: true,
      paths: {
        ferry: [fromDir('packages/ferry/src/index.ts')],
        '@ferry/core/reporter': [fromDir('packages/core/src/reporter.ts')],
        '@ferry/lab/vitest': [fromDir('packages/lab/src/vitest.ts')],
        '@ferry/*': [fromDir('packages/*/src/index.ts')],
        // Clients only some packages depend on (the root has client-ec2).
        '@aws-sdk/*': [
          fromDir('node_modules/@aws-sdk/*'),
          fromDir('packages/edge/node_modules/@aws-sdk/*'),
        ],
      },
    },
    files: [...origins.keys()],
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  try {
    execFileSync('pnpm', ['exec', 'tsc', '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`
    for (const line of output.split('\n').filter(Boolean)) {
      const m = /([\w.-]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line)
      const origin = m && origins.get(m[1])
      problems.push(
        origin
          ? `${relative(root, origin.page)}:${origin.start + Number(m[2])}:${m[3]}: ${m[4]}`
          : `code blocks: ${line}`,
      )
    }
  }
  console.log(`code blocks: ${origins.size} TypeScript blocks type-checked`)
}

/** TypeDoc generates docs/api with no warning; every export has a JSDoc summary (and @example). */
function checkApi() {
  const json = join(root, 'node_modules', '.cache', 'ferry-docs-api.json')
  try {
    execFileSync('pnpm', ['exec', 'typedoc', '--treatWarningsAsErrors', '--json', json], {
      cwd: root,
      stdio: 'inherit',
    })
  } catch {
    problems.push('typedoc: warnings or errors while generating docs/api (see above)')
    return
  }
  const project = JSON.parse(readFileSync(json, 'utf8'))
  const kinds = { 32: 'variable', 64: 'function', 128: 'class', 256: 'interface', 2097152: 'type' }
  const noExample = []
  let exports = 0
  const walk = (parent, path) => {
    for (const r of parent.children ?? []) {
      if (r.kind === 4) walk(r, `${path}.${r.name}`) // a namespace such as `validate`
      const kind = kinds[r.kind]
      if (!kind) continue // references to re-exports are documented where they are declared
      exports++
      const comment = r.comment ?? r.signatures?.[0]?.comment
      const source = r.sources?.[0]
      const where = `${path} ${r.name}${source ? ` (${source.fileName}:${source.line})` : ''}`
      if (!comment?.summary?.some((part) => part.text.trim()))
        problems.push(`jsdoc: ${where} has no JSDoc summary`)
      else if (
        ['variable', 'function', 'class'].includes(kind) &&
        !comment.blockTags?.some((t) => t.tag === '@example')
      )
        noExample.push(where)
    }
  }
  for (const mod of project.children ?? []) walk(mod, mod.name)
  console.log(`api: ${exports} exports documented; ${noExample.length} values without an @example`)
  for (const where of noExample) console.log(`  no @example: ${where}`)
  if (strict) for (const where of noExample) problems.push(`jsdoc: ${where} has no @example`)
}
