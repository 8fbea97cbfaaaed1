// The run journal: each finished step's output and the values a step recorded, written
// atomically (temp file + rename, mode 0600) after every change. It never holds a secret's
// value: a file reference and its SHA-256, or the value sealed under a key kept elsewhere.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { FerryError } from './errors.js'
import { loadSecret, storeSecret } from './journal-secrets.js'
import { Secret } from './secret.js'

/** One step's entry in the journal. */
export interface JournalStep {
  status: 'running' | 'done' | 'failed' | 'undone'
  startedAt: string
  finishedAt?: string
  output?: Record<string, unknown>
  /** Values recorded while the step ran (ids, idempotency tokens), for adoption after a crash. */
  records: Record<string, string>
  error?: string
}

/** A run's journal file. */
export interface JournalData {
  version: 1
  runId: string
  status: 'running' | 'done' | 'failed' | 'rolled-back'
  createdAt: string
  updatedAt: string
  steps: Record<string, JournalStep>
}

/**
 * The default journal path of a run: `.ferry/runs/<runId>.json` under the working directory.
 * @example
 * defaultJournalPath('run-20261122-abc123') // <cwd>/.ferry/runs/run-20261122-abc123.json
 */
export const defaultJournalPath = (runId: string, cwd = process.cwd()): string =>
  join(cwd, '.ferry', 'runs', `${runId}.json`)

/**
 * Loads and saves a run's journal. A Secret is stored as its file's path and SHA-256 (keys
 * ferry wrote or read) or sealed under the journal key (see journal-secrets.ts), so a resumed
 * run gets it back and a copied journal gives nothing away.
 * @example
 * const journal = await Journal.open('.ferry/runs/r1.json', 'r1')
 */
export class Journal {
  private constructor(
    readonly path: string | undefined,
    readonly data: JournalData,
  ) {}

  /** A journal kept in memory only. */
  static memory(runId: string): Journal {
    const now = new Date().toISOString()
    return new Journal(undefined, {
      version: 1,
      runId,
      status: 'running',
      createdAt: now,
      updatedAt: now,
      steps: {},
    })
  }

  /** Opens the journal at `path` (or an in-memory one when `path` is undefined). */
  static async open(path: string | undefined, runId: string): Promise<Journal> {
    if (!path) return Journal.memory(runId)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return new Journal(path, Journal.memory(runId).data)
      throw error
    }
    const data = JSON.parse(
      text,
      (_key, value: unknown) => loadSecret(value) ?? value,
    ) as JournalData
    if (data.version !== 1 || data.runId !== runId) {
      throw new FerryError(
        'CONFLICT',
        `Journal ${path} belongs to run "${data.runId}", not "${runId}". Use another journal path or the matching run id.`,
      )
    }
    return new Journal(path, data)
  }

  step(name: string): JournalStep | undefined {
    return this.data.steps[name]
  }

  /** Updates one step's entry and saves. */
  async update(name: string, change: Partial<JournalStep>): Promise<void> {
    const current = this.data.steps[name] ?? {
      status: 'running',
      startedAt: new Date().toISOString(),
      records: {},
    }
    this.data.steps[name] = {
      ...current,
      ...change,
      records: { ...current.records, ...change.records },
    }
    await this.save()
  }

  async setStatus(status: JournalData['status']): Promise<void> {
    this.data.status = status
    await this.save()
  }

  async save(): Promise<void> {
    this.data.updatedAt = new Date().toISOString()
    if (!this.path) return
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
    const tmp = `${this.path}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(this.data, replacer, 2), { mode: 0o600 })
    await rename(tmp, this.path)
  }
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key]
  return Secret.is(raw) ? storeSecret(raw) : value
}
