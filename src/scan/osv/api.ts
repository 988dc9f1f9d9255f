/**
 * The OSV API source: `POST /v1/querybatch` in chunks of at most 1000 queries, following each query's
 * `next_page_token` (for a bounded number of pages), then `GET /v1/vulns/{id}` for every distinct id, fetched concurrently with a bound. Requests
 * that time out or are answered 429 or 5xx are retried with exponential backoff (longer when the answer carries
 * `Retry-After`, up to a minute).
 */
import { isOsvEcosystem } from './offline.js'
import { isOsvRecord, type OsvQuery, type OsvRecord, type OsvSource } from './types.js'

export interface ApiSourceOptions {
  /** Concurrent `/v1/vulns/{id}` requests (default 8). */
  concurrency?: number
  /** Retries after the first attempt (default 3). */
  retries?: number
  /** Per-request timeout in milliseconds (default 30000). */
  timeoutMs?: number
  /** First backoff delay in milliseconds, doubled on each retry (default 500). */
  backoffMs?: number
  /** Queries per `/v1/querybatch` request (default and maximum 1000). */
  batchSize?: number
  /**
   * Result pages per query (default 100, that is up to 100,000 advisories for one package version). A server
   * that keeps sending `next_page_token` beyond it fails the lookup instead of looping forever.
   */
  maxPages?: number
}

interface BatchResult {
  vulns?: { id: string; modified?: string }[]
  next_page_token?: string
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
    cause?: unknown,
    /** From a `Retry-After: <seconds>` header. */
    readonly retryAfterMs?: number
  ) {
    super(message, cause === undefined ? undefined : { cause })
  }
}

/** Longest wait a `Retry-After` header can impose. */
const MAX_RETRY_AFTER_MS = 60000

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function retryable(err: unknown): boolean {
  if (err instanceof HttpStatusError) return err.status === 429 || err.status >= 500
  return true // timeouts and network errors
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export function createApiSource(baseUrl: string, opts: ApiSourceOptions = {}): OsvSource {
  const base = baseUrl.replace(/\/+$/, '')
  const concurrency = Math.max(1, opts.concurrency ?? 8)
  const retries = Math.max(0, opts.retries ?? 3)
  const timeoutMs = opts.timeoutMs ?? 30000
  const backoffMs = opts.backoffMs ?? 500
  const batchSize = Math.min(1000, Math.max(1, opts.batchSize ?? 1000))
  const maxPages = Math.max(1, opts.maxPages ?? 100)

  const once = async (url: string, init: RequestInit): Promise<unknown> => {
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), timeoutMs)
    try {
      const res = await fetch(url, { ...init, signal: ctl.signal })
      const text = await res.text()
      if (!res.ok) {
        const after = Number(res.headers.get('retry-after'))
        const retryAfterMs =
          Number.isFinite(after) && after > 0 ? Math.min(after * 1000, MAX_RETRY_AFTER_MS) : undefined
        throw new HttpStatusError(
          res.status,
          `the OSV API answered ${res.status} for ${url}`,
          undefined,
          retryAfterMs
        )
      }
      try {
        return JSON.parse(text)
      } catch (err) {
        throw new HttpStatusError(502, `the OSV API answered ${url} with something that is not JSON`, err)
      }
    } catch (err) {
      if (err instanceof HttpStatusError) throw err
      if (ctl.signal.aborted)
        throw new Error(`the OSV API did not answer ${url} within ${timeoutMs} ms`, { cause: err })
      const code = (err as { cause?: { code?: string } }).cause?.code
      const why = code ? `${(err as Error).message} (${code})` : (err as Error).message
      throw new Error(`cannot reach the OSV API at ${base}: ${why}`, { cause: err })
    } finally {
      clearTimeout(timer)
    }
  }

  const request = async (url: string, init: RequestInit): Promise<unknown> => {
    let lastErr: unknown
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        const hinted = lastErr instanceof HttpStatusError ? (lastErr.retryAfterMs ?? 0) : 0
        await sleep(Math.max(backoffMs * 2 ** (attempt - 1), hinted))
      }
      try {
        return await once(url, init)
      } catch (err) {
        lastErr = err
        if (!retryable(err)) break
      }
    }
    const msg = (lastErr as Error).message
    if (!retryable(lastErr)) throw new Error(msg)
    if (msg.startsWith('cannot reach')) throw new Error(`${msg} (after ${retries + 1} attempts)`)
    throw new Error(`cannot reach the OSV API at ${base}: ${msg} (after ${retries + 1} attempts)`)
  }

  const post = (body: unknown): Promise<unknown> =>
    request(`${base}/v1/querybatch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })

  return {
    async query(queries: OsvQuery[]): Promise<OsvRecord[][]> {
      const ids: Set<string>[] = queries.map(() => new Set())
      // Pending queries: index into `queries`, and the page token to ask for.
      let pending: { i: number; token?: string }[] = queries.map((_, i) => ({ i }))
      for (let page = 1; pending.length > 0; page++) {
        if (page > maxPages) {
          const q = queries[pending[0].i]
          throw new Error(
            `the OSV API kept paging results for ${q.ecosystem}/${q.name} ${q.version} beyond ${maxPages} pages; the lookup was stopped`
          )
        }
        const again: { i: number; token?: string }[] = []
        for (let s = 0; s < pending.length; s += batchSize) {
          const chunk = pending.slice(s, s + batchSize)
          const body = {
            queries: chunk.map(({ i, token }) => ({
              package: { ecosystem: queries[i].ecosystem, name: queries[i].name },
              version: queries[i].version,
              ...(token ? { page_token: token } : {})
            }))
          }
          const res = (await post(body)) as { results?: BatchResult[] }
          const results = res?.results
          if (!Array.isArray(results) || results.length !== chunk.length)
            throw new Error(
              `the OSV API answered /v1/querybatch with ${results?.length ?? 'no'} results for ${chunk.length} queries`
            )
          results.forEach((r, k) => {
            const i = chunk[k].i
            for (const v of r?.vulns ?? []) if (typeof v?.id === 'string') ids[i].add(v.id)
            if (r?.next_page_token) again.push({ i, token: r.next_page_token })
          })
        }
        pending = again
      }
      const distinct = [...new Set(ids.flatMap((s) => [...s]))].sort()
      const records = await mapBounded(distinct, concurrency, async (id) => {
        const r = await request(`${base}/v1/vulns/${encodeURIComponent(id)}`, { method: 'GET' })
        if (!isOsvRecord(r))
          throw new Error(`the OSV API answered /v1/vulns/${id} with something that is not an OSV record`)
        return r
      })
      const byId = new Map(distinct.map((id, k) => [id, records[k]]))
      return ids.map((s) => [...s].map((id) => byId.get(id) as OsvRecord))
    },
    // osv.dev answers every ecosystem of ossf/osv-schema's list; anything else it knows nothing about.
    hasEcosystem: isOsvEcosystem
  }
}
