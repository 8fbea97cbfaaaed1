// Pages of an SDK paginator, each fetched through core's callAws (an event per page, errors
// mapped to AwsError). A candidate for @ferry/core: every module that lists things needs it.
import { callAws, type EventSink } from '@ferry/core'

/**
 * Yields each page of an SDK paginator, emitting `aws:call` per page and mapping failures.
 * @example
 * for await (const page of awsPages({ service: 'CloudFront', operation: 'ListDistributions' }, pages)) use(page)
 */
export async function* awsPages<T>(
  where: { service: string; operation: string; onEvent?: EventSink },
  pages: AsyncIterable<T>,
): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]()
  for (;;) {
    const next = await callAws(where, () => iterator.next())
    if (next.done) return
    yield next.value
  }
}
