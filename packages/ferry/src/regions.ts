// The regions a run touched, read from its journal: every `region` in a step's output and
// every region an AMI was copied to.
import { defaultJournalPath, Journal, validate } from '@ferry/core'
import { access } from 'node:fs/promises'

/**
 * The regions named in a run's journal (none when there is no journal).
 * @example
 * await journalRegions('run-42') // ['ap-south-1', 'us-west-1']
 */
export async function journalRegions(
  runId: string,
  path: string | false = defaultJournalPath(runId),
): Promise<string[]> {
  if (
    path === false ||
    !(await access(path).then(
      () => true,
      () => false,
    ))
  )
    return []
  const journal = await Journal.open(path, runId)
  const found = new Set<string>()
  const walk = (value: unknown, key = ''): void => {
    if (typeof value === 'string' && key === 'region') found.add(value)
    else if (Array.isArray(value)) value.forEach((v) => walk(v))
    else if (typeof value === 'object' && value !== null) {
      if (key === 'amiCopies') Object.keys(value).forEach((r) => found.add(r))
      for (const [k, v] of Object.entries(value)) walk(v, k)
    }
  }
  for (const step of Object.values(journal.data.steps)) walk(step.output)
  return [...found].filter((r) => {
    try {
      return validate.region(r) === r
    } catch {
      return false
    }
  })
}
