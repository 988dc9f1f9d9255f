/**
 * The manifest read-back and the retry policy against a loopback HTTP server that speaks the registry's
 * token protocol (the real registry with basic auth is covered in push.test.ts).
 */
import { describe, it, expect, afterEach } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  headManifestDigest,
  isTransientMessage,
  parseChallenge,
  redact,
  registryBaseUrl,
  sameRegistry,
  withRetry,
  RegistryError,
  RepositoryReader,
  type RegistryAuth
} from '../../src/docker/registry.js'
import { RegistryClient } from '../../src/baseline/registry.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
let server: Server | undefined

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler)
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()))
  return `127.0.0.1:${(server?.address() as { port: number }).port}`
}

describe('headManifestDigest', () => {
  it('follows the Bearer token flow with the credentials and sends the manifest Accept types', async () => {
    const seen: string[] = []
    const host = await serve((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/token') {
        seen.push(
          `token ${req.headers.authorization} ${url.searchParams.get('service')} ${url.searchParams.get('scope')}`
        )
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ token: 'tok-123' }))
        return
      }
      if (req.headers.authorization !== 'Bearer tok-123') {
        res.statusCode = 401
        res.setHeader(
          'www-authenticate',
          `Bearer realm="http://${req.headers.host}/token",service="reg.test",scope="repository:org/app:pull"`
        )
        res.end()
        return
      }
      seen.push(`${req.method} ${url.pathname} ${req.headers.accept}`)
      res.setHeader('docker-content-digest', DIGEST)
      res.end()
    })
    const digest = await headManifestDigest(`${host}/org/app:1.0`, {
      registry: host,
      username: 'u',
      password: 'p'
    })
    expect(digest).toBe(DIGEST)
    expect(seen[0]).toBe(
      `token Basic ${Buffer.from('u:p').toString('base64')} reg.test repository:org/app:pull`
    )
    expect(seen[1]).toMatch(/^HEAD \/v2\/org\/app\/manifests\/1\.0 /)
    expect(seen[1]).toContain('application/vnd.docker.distribution.manifest.v2+json')
    expect(seen[1]).toContain('application/vnd.oci.image.manifest.v1+json')
  })

  it("fails with the registry's message on a missing manifest, and marks 5xx and 429 transient", async () => {
    let status = 404
    const host = await serve((req, res) => {
      res.statusCode = status
      if (status === 429) res.setHeader('retry-after', '7')
      res.setHeader('content-type', 'application/json')
      res.end(
        req.method === 'GET'
          ? JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] })
          : undefined
      )
    })
    const e404 = await headManifestDigest(`${host}/a/b:1`).catch((e: RegistryError) => e)
    expect(e404).toBeInstanceOf(RegistryError)
    expect((e404 as RegistryError).message).toBe(
      `reading the manifest of ${host}/a/b:1 from the registry: HTTP 404 MANIFEST_UNKNOWN: manifest unknown`
    )
    expect((e404 as RegistryError).transient).toBe(false)
    status = 503
    expect(((await headManifestDigest(`${host}/a/b:1`).catch((e) => e)) as RegistryError).transient).toBe(
      true
    )
    status = 429
    const e429 = (await headManifestDigest(`${host}/a/b:1`).catch((e) => e)) as RegistryError
    expect([e429.transient, e429.retryAfterMs]).toEqual([true, 7000])
  })

  it('marks a refused connection transient', async () => {
    const host = await serve(() => {})
    await new Promise<void>((r) => server?.close(() => r()))
    server = undefined
    const e = (await headManifestDigest(`${host}/a/b:1`).catch((x) => x)) as RegistryError
    expect(e.message).toMatch(/cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/)
    expect(e.transient).toBe(true)
  })

  it('never puts the password in an error', async () => {
    const host = await serve((req, res) => {
      res.statusCode = 401
      res.setHeader('www-authenticate', 'Basic realm="x"')
      // A registry that echoes what it got.
      res.end(req.method === 'GET' ? `bad credentials ${req.headers.authorization}` : undefined)
    })
    const pw = 's3cret-pass'
    const e = (await headManifestDigest(`${host}/a/b:1`, {
      registry: host,
      username: 'u',
      password: pw
    }).catch((x) => x)) as Error
    expect(e.message).toMatch(/HTTP 401 bad credentials Basic/)
    expect(e.message).not.toContain(Buffer.from(`u:${pw}`).toString('base64'))
    expect(e.message).not.toContain(pw)
  })
})

describe('every registry client answers a challenge the same way', () => {
  const MANIFEST = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json'
  })
  /** A registry that wants a Bearer token from its realm, and records the Authorization of every request. */
  const tokenRegistry = async (seen: string[]): Promise<string> =>
    serve((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      seen.push(
        `${url.pathname} ${req.headers.authorization ?? '-'} ${url.searchParams.get('scope') ?? ''}`.trim()
      )
      if (url.pathname === '/token') {
        if (!req.headers.authorization) {
          res.statusCode = 401
          res.end()
          return
        }
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ access_token: 'tok-9' }))
        return
      }
      if (req.headers.authorization !== 'Bearer tok-9') {
        res.statusCode = 401
        res.setHeader(
          'www-authenticate',
          `Bearer realm="http://${req.headers.host}/token",service="reg.test"`
        )
        res.end()
        return
      }
      res.setHeader('docker-content-digest', `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`)
      res.setHeader('content-type', 'application/vnd.oci.image.manifest.v1+json')
      res.end(req.method === 'HEAD' ? undefined : MANIFEST)
    })
  const clients: [string, (host: string, auth: RegistryAuth) => Promise<unknown>][] = [
    ['headManifestDigest', (host, auth) => headManifestDigest(`${host}/org/app:1`, auth)],
    ['RepositoryReader', (host, auth) => new RepositoryReader(host, 'org/app', auth).manifest('1')],
    ['RegistryClient', (host, auth) => RegistryClient.forRef(`${host}/org/app:1`, auth).digestOf('1')]
  ]

  for (const [name, read] of clients) {
    it(`${name}: fetches a pull token with the credentials, scoped to the repository`, async () => {
      const seen: string[] = []
      const host = await tokenRegistry(seen)
      await read(host, { registry: host, username: 'u', password: 'p' })
      const basic = `Basic ${Buffer.from('u:p').toString('base64')}`
      expect(seen).toContain(`/token ${basic} repository:org/app:pull`)
      expect(seen[seen.length - 1]).toBe('/v2/org/app/manifests/1 Bearer tok-9')
    })

    it(`${name}: never sends credentials given for another registry`, async () => {
      const seen: string[] = []
      const host = await tokenRegistry(seen)
      const err = await read(host, { registry: 'ghcr.io', username: 'u', password: 'p' }).then(
        () => undefined,
        (e: Error) => e
      )
      expect(err?.message).toMatch(/registry token .*HTTP 401/)
      expect(seen.length).toBeGreaterThan(0)
      for (const line of seen) expect(line).not.toContain('Basic')
    })
  }
})

describe('withRetry', () => {
  it('retries transient errors with exponential backoff up to the bound, then names the attempts', async () => {
    const lines: string[] = []
    let calls = 0
    const t = Date.now()
    const err = await withRetry(
      'pushing x',
      async () => {
        calls++
        throw new RegistryError('connection reset by peer', true)
      },
      { attempts: 4, baseDelayMs: 50, maxDelayMs: 120 },
      (l) => lines.push(l)
    ).catch((e: Error) => e)
    expect(calls).toBe(4)
    expect((err as Error).message).toBe('pushing x failed after 4 attempts: connection reset by peer')
    expect(lines.map((l) => /retrying in ([\d.]+)s/.exec(l)?.[1])).toEqual(['0.1', '0.1', '0.1'])
    expect(Date.now() - t).toBeGreaterThanOrEqual(50 + 100 + 120 - 10)
  })

  it('honours Retry-After, capped by the bound', async () => {
    let calls = 0
    const t = Date.now()
    const v = await withRetry(
      'x',
      async () => {
        if (calls++ === 0) throw new RegistryError('429 too many requests', true, 700)
        return 'ok'
      },
      { attempts: 3, baseDelayMs: 10, maxDelayMs: 1000 }
    )
    expect(v).toBe('ok')
    expect(Date.now() - t).toBeGreaterThanOrEqual(690)
    const t2 = Date.now()
    calls = 0
    await withRetry(
      'x',
      async () => {
        if (calls++ === 0) throw new RegistryError('429', true, 60000)
        return 'ok'
      },
      { attempts: 3, baseDelayMs: 10, maxDelayMs: 200 }
    )
    expect(Date.now() - t2).toBeLessThan(1000)
  })

  it('fails at once on a permanent error', async () => {
    let calls = 0
    await expect(
      withRetry(
        'pushing y',
        async () => {
          calls++
          throw new RegistryError('denied: requested access to the resource is denied', false)
        },
        { attempts: 5, baseDelayMs: 1000, maxDelayMs: 1000 }
      )
    ).rejects.toThrow('pushing y failed: denied: requested access to the resource is denied')
    expect(calls).toBe(1)
  })
})

describe('helpers', () => {
  it('classifies engine push messages', () => {
    expect(
      isTransientMessage(
        'Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused'
      )
    ).toBe(true)
    expect(isTransientMessage('received unexpected HTTP status: 503 Service Unavailable')).toBe(true)
    expect(isTransientMessage('toomanyrequests: You have reached your pull rate limit')).toBe(true)
    expect(isTransientMessage('read tcp 1.2.3.4:5->6.7.8.9:443: read: connection reset by peer')).toBe(true)
    expect(isTransientMessage('unauthorized: authentication required')).toBe(false)
    expect(isTransientMessage('denied: requested access to the resource is denied')).toBe(false)
    expect(isTransientMessage('name unknown: repository name not known to registry')).toBe(false)
  })

  it('picks http for loopback, https otherwise, and Docker Hub’s API host', () => {
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000')
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000')
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io')
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io')
    expect(sameRegistry('index.docker.io', 'docker.io')).toBe(true)
    expect(sameRegistry('https://index.docker.io/v1/', 'docker.io')).toBe(true)
    expect(sameRegistry('ghcr.io', 'docker.io')).toBe(false)
  })

  it('parses WWW-Authenticate challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'
      )
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/busybox:pull'
      }
    })
    expect(parseChallenge('Basic realm=reg')).toEqual({ scheme: 'basic', params: { realm: 'reg' } })
  })

  it('redacts a secret and its encodings', () => {
    const out = redact(
      `pw=hunter22 b64=${Buffer.from('hunter22').toString('base64')} url=${encodeURIComponent('hunter22')}`,
      ['hunter22']
    )
    expect(out).toBe('pw=*** b64=*** url=***')
  })
})
