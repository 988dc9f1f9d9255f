/**
 * A loopback stand-in for the OSV API (https://google.github.io/osv.dev/api/): `POST /v1/querybatch` (with
 * per-query pagination when `pageSize` is set) and `GET /v1/vulns/{id}` over a set of records, with fault knobs
 * (answer the next N requests with 500/429, or delay them past a client timeout). Also `writeZip`, which writes
 * records as osv.dev's per-ecosystem `all.zip`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { evaluateAffected } from '../../src/scan/osv/range.js'
import { packageKey } from '../../src/scan/osv/offline.js'
import type { OsvRecord } from '../../src/scan/osv/types.js'

export interface OsvServerOptions {
  records: OsvRecord[]
  /** Vulns per query result page; more results get a `next_page_token`. */
  pageSize?: number
}

export interface LoggedRequest {
  method: string
  path: string
  /** Queries in a querybatch request. */
  queries?: number
  /** Page tokens sent in a querybatch request. */
  pageTokens?: number
}

export interface OsvServer {
  url: string
  requests: LoggedRequest[]
  /** The most `/v1/vulns/{id}` requests seen in flight at once. */
  maxConcurrentVulns: number
  /**
   * Answer the next `count` requests (optionally only those whose path starts with `pathPrefix`) with `status`,
   * and a `Retry-After` header when `retryAfterSeconds` is given.
   */
  failNext(count: number, status: number, pathPrefix?: string, retryAfterSeconds?: number): void
  /** Delay the next `count` requests by `ms` before answering. */
  delayNext(count: number, ms: number, pathPrefix?: string): void
  close(): Promise<void>
}

interface Fault {
  count: number
  status?: number
  delayMs?: number
  pathPrefix?: string
  retryAfter?: number
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}

export async function startOsvServer(options: OsvServerOptions): Promise<OsvServer> {
  const byId = new Map(options.records.map((r) => [r.id, r]))
  const faults: Fault[] = []
  const requests: LoggedRequest[] = []
  let inFlightVulns = 0
  const state = { maxConcurrentVulns: 0 }

  const affecting = (ecosystem: string, name: string, version: string): OsvRecord[] =>
    options.records.filter((r) =>
      (r.affected ?? []).some(
        (a) =>
          a.package?.ecosystem === ecosystem &&
          packageKey(ecosystem, a.package.name) === packageKey(ecosystem, name) &&
          evaluateAffected(version, a, ecosystem).affected
      )
    )

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const logged: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname }
      requests.push(logged)
      const text = await body(req)
      const fault = faults.find(
        (f) => f.count > 0 && (!f.pathPrefix || url.pathname.startsWith(f.pathPrefix))
      )
      if (fault) {
        fault.count--
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs))
        if (fault.status)
          return send(
            res,
            fault.status,
            { code: fault.status, message: 'injected fault' },
            fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}
          )
      }
      if (req.method === 'POST' && url.pathname === '/v1/querybatch') {
        let parsed: {
          queries?: {
            package?: { ecosystem?: string; name?: string }
            version?: string
            page_token?: string
          }[]
        }
        try {
          parsed = JSON.parse(text)
        } catch {
          return send(res, 400, { code: 3, message: 'invalid JSON' })
        }
        const queries = parsed.queries ?? []
        logged.queries = queries.length
        logged.pageTokens = queries.filter((q) => q.page_token).length
        if (queries.length > 1000) return send(res, 400, { code: 3, message: 'too many queries' })
        const results = queries.map((q) => {
          const all = affecting(q.package?.ecosystem ?? '', q.package?.name ?? '', q.version ?? '')
            .map((r) => ({ id: r.id, modified: r.modified }))
            .sort((a, b) => a.id.localeCompare(b.id))
          if (!options.pageSize) return all.length ? { vulns: all } : {}
          const start = q.page_token ? Number(Buffer.from(q.page_token, 'base64').toString('utf8')) : 0
          const page = all.slice(start, start + options.pageSize)
          const next = start + options.pageSize
          return {
            ...(page.length ? { vulns: page } : {}),
            ...(next < all.length ? { next_page_token: Buffer.from(String(next)).toString('base64') } : {})
          }
        })
        return send(res, 200, { results })
      }
      const m = /^\/v1\/vulns\/(.+)$/.exec(url.pathname)
      if (req.method === 'GET' && m) {
        inFlightVulns++
        state.maxConcurrentVulns = Math.max(state.maxConcurrentVulns, inFlightVulns)
        await new Promise((r) => setTimeout(r, 5))
        inFlightVulns--
        const rec = byId.get(decodeURIComponent(m[1]))
        return rec ? send(res, 200, rec) : send(res, 404, { code: 5, message: 'Bug not found.' })
      }
      return send(res, 404, { code: 5, message: 'not found' })
    })()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxConcurrentVulns() {
      return state.maxConcurrentVulns
    },
    failNext(count, status, pathPrefix, retryAfterSeconds) {
      faults.push({ count, status, pathPrefix, retryAfter: retryAfterSeconds })
    },
    delayNext(count, ms, pathPrefix) {
      faults.push({ count, delayMs: ms, pathPrefix })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export { writeZip } from './zip.js'
