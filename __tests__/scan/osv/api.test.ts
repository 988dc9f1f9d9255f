import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startOsvServer, type OsvServer } from '../../helpers/osv-server.js'
import { createApiSource } from '../../../src/scan/osv/index.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'

const rec = (id: string, name: string, fixed?: string): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }]
    }
  ]
})

const RECORDS = [
  rec('GHSA-a', 'left-pad', '1.3.0'),
  rec('GHSA-b', 'left-pad'),
  rec('GHSA-c', 'left-pad', '2.0.0'),
  ...Array.from({ length: 30 }, (_, i) => rec(`GHSA-many-${i}`, 'many'))
]

let server: OsvServer
beforeAll(async () => {
  server = await startOsvServer({ records: RECORDS, pageSize: 2 })
})
afterAll(async () => server.close())

const fast = { backoffMs: 10, timeoutMs: 2000 }

describe('OSV API source', () => {
  it('follows next_page_token per query and fetches each distinct id once', async () => {
    const before = server.requests.length
    const res = await createApiSource(server.url, fast).query([
      { ecosystem: 'npm', name: 'left-pad', version: '1.2.0' },
      { ecosystem: 'npm', name: 'left-pad', version: '1.5.0' },
      { ecosystem: 'npm', name: 'nothing', version: '1.0.0' }
    ])
    expect(res.map((r) => r.map((x) => x.id).sort())).toEqual([
      ['GHSA-a', 'GHSA-b', 'GHSA-c'],
      ['GHSA-b', 'GHSA-c'],
      []
    ])
    const reqs = server.requests.slice(before)
    const batches = reqs.filter((r) => r.path === '/v1/querybatch')
    expect(batches.map((b) => [b.queries, b.pageTokens])).toEqual([
      [3, 0],
      [1, 1]
    ])
    expect(
      reqs
        .filter((r) => r.path.startsWith('/v1/vulns/'))
        .map((r) => r.path)
        .sort()
    ).toEqual(['/v1/vulns/GHSA-a', '/v1/vulns/GHSA-b', '/v1/vulns/GHSA-c'])
  })

  it('sends at most 1000 queries per batch', async () => {
    const before = server.requests.length
    const queries = Array.from({ length: 2500 }, (_, i) => ({
      ecosystem: 'npm',
      name: `pkg-${i}`,
      version: '1.0.0'
    }))
    const res = await createApiSource(server.url, fast).query(queries)
    expect(res).toHaveLength(2500)
    expect(server.requests.slice(before).map((r) => r.queries)).toEqual([1000, 1000, 500])
  })

  it('bounds the concurrent /v1/vulns requests', async () => {
    const res = await createApiSource(server.url, { ...fast, concurrency: 3 }).query([
      { ecosystem: 'npm', name: 'many', version: '1.0.0' }
    ])
    expect(res[0]).toHaveLength(30)
    expect(server.maxConcurrentVulns).toBeLessThanOrEqual(3)
    expect(server.maxConcurrentVulns).toBeGreaterThan(1)
  })

  it('retries 500 and 429 with backoff', async () => {
    server.failNext(2, 500, '/v1/querybatch')
    server.failNext(1, 429, '/v1/vulns/')
    const before = server.requests.length
    const res = await createApiSource(server.url, fast).query([
      { ecosystem: 'npm', name: 'left-pad', version: '1.5.0' }
    ])
    expect(res[0].map((r) => r.id).sort()).toEqual(['GHSA-b', 'GHSA-c'])
    const reqs = server.requests.slice(before)
    expect(reqs.filter((r) => r.path === '/v1/querybatch')).toHaveLength(3)
    expect(reqs.filter((r) => r.path.startsWith('/v1/vulns/'))).toHaveLength(3)
  })

  it('waits as long as Retry-After asks on a 429', async () => {
    server.failNext(1, 429, '/v1/querybatch', 1)
    const t = Date.now()
    const res = await createApiSource(server.url, fast).query([
      { ecosystem: 'npm', name: 'left-pad', version: '1.5.0' }
    ])
    expect(res[0]).toHaveLength(2)
    expect(Date.now() - t).toBeGreaterThanOrEqual(950)
  })

  it('retries a request that times out', async () => {
    server.delayNext(1, 600, '/v1/querybatch')
    const res = await createApiSource(server.url, { backoffMs: 10, timeoutMs: 200 }).query([
      { ecosystem: 'npm', name: 'left-pad', version: '1.5.0' }
    ])
    expect(res[0]).toHaveLength(2)
  })

  it('gives up after the retries with a clear error', async () => {
    server.failNext(4, 503)
    await expect(
      createApiSource(server.url, { ...fast, retries: 3 }).query([
        { ecosystem: 'npm', name: 'x', version: '1' }
      ])
    ).rejects.toThrow(`cannot reach the OSV API at ${server.url}: the OSV API answered 503`)
  })

  it('does not retry a 4xx and says what was asked', async () => {
    server.failNext(1, 400)
    const before = server.requests.length
    await expect(
      createApiSource(server.url, fast).query([{ ecosystem: 'npm', name: 'x', version: '1' }])
    ).rejects.toThrow(/answered 400 for .*\/v1\/querybatch/)
    expect(server.requests.length - before).toBe(1)
  })

  it('fails with "cannot reach the OSV API" when nothing listens', async () => {
    const dead = await startOsvServer({ records: [] })
    const url = dead.url
    await dead.close()
    await expect(
      createApiSource(url, { ...fast, retries: 1 }).query([{ ecosystem: 'npm', name: 'x', version: '1' }])
    ).rejects.toThrow(`cannot reach the OSV API at ${url}`)
  })

  it('stops a server that never stops paging, naming the package, after the page bound', async () => {
    let posts = 0
    const endless = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        posts++
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ results: [{ vulns: [], next_page_token: `t${posts}` }] }))
      })
    })
    await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`
    try {
      await expect(
        createApiSource(url, { ...fast, maxPages: 5 }).query([
          { ecosystem: 'npm', name: 'loop', version: '1' }
        ])
      ).rejects.toThrow('the OSV API kept paging results for npm/loop 1 beyond 5 pages')
      expect(posts).toBe(5)
    } finally {
      endless.closeAllConnections()
      await new Promise<void>((r) => endless.close(() => r()))
    }
  })
})
