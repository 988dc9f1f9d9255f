/** Loopback stand-ins that misbehave on purpose: a dying engine socket, a flaky registry, a silent OSV API. */
import * as http from 'node:http'
import * as net from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { engineSocket } from './testenv.js'

export interface Closable {
  close(): Promise<void>
}

/**
 * A unix socket in front of the engine's socket that forwards everything, except that once a `POST /build`
 * request has streamed `afterBytes` of the engine's answer, it cuts both connections: to the client, the engine
 * died mid-build.
 */
export async function dyingEngineSocket(
  target = engineSocket(),
  afterBytes = 200
): Promise<Closable & { dockerHost: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'si-sock-'))
  const sock = path.join(dir, 'docker.sock')
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(target)
    sockets.add(client)
    sockets.add(upstream)
    let isBuild = false
    let seen = 0
    client.on('data', (d: Buffer) => {
      if (/^POST [^ ]*\/build\b/m.test(d.toString('latin1', 0, Math.min(d.length, 512)))) isBuild = true
      upstream.write(d)
    })
    upstream.on('data', (d: Buffer) => {
      if (isBuild) {
        seen += d.length
        if (seen > afterBytes) {
          client.destroy()
          upstream.destroy()
          return
        }
      }
      client.write(d)
    })
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end)
    upstream.on('error', end)
    client.on('close', end)
    upstream.on('close', end)
  })
  await new Promise<void>((resolve) => server.listen(sock, resolve))
  return {
    dockerHost: `unix://${sock}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

/**
 * An HTTP proxy in front of a registry that answers the first `failures` authenticated requests (not the
 * unauthenticated `/v2/` ping, whose failure only tells the client there is no auth challenge) with `status`
 * (500 by default), then forwards everything. The engine treats 127.0.0.0/8 registries as insecure, so it pushes here
 * over plain HTTP.
 */
export async function flakyRegistry(
  upstream: string,
  failures: number,
  status = 500
): Promise<Closable & { address: string; served: () => number; failed: () => number }> {
  let failed = 0
  let served = 0
  const [host, port] = upstream.split(':')
  const server = http.createServer((req, res) => {
    served++
    if (failed < failures && req.headers.authorization && req.url !== '/v2/') {
      failed++
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected failure' }] }))
      return
    }
    const proxied = http.request(
      { host, port: Number(port), method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const headers = { ...up.headers }
        // Keep redirects and upload locations pointing at the proxy.
        if (typeof headers.location === 'string')
          headers.location = headers.location.replace(upstream, `127.0.0.1:${addr().port}`)
        res.writeHead(up.statusCode ?? 502, headers)
        up.pipe(res)
      }
    )
    proxied.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(proxied)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const addr = () => server.address() as net.AddressInfo
  return {
    address: `127.0.0.1:${addr().port}`,
    served: () => served,
    failed: () => failed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** An HTTP server that accepts connections and never answers: an API that times out. */
export async function silentServer(): Promise<Closable & { url: string }> {
  const sockets = new Set<net.Socket>()
  const server = http.createServer(() => {
    // never answer
  })
  server.on('connection', (s) => sockets.add(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

/** A loopback port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * An HTTP proxy on a unix socket in front of the engine, that can make the engine look older: `apiVersion`
 * rewrites the API version `/version` reports, `rejectBuildkit` answers `POST /build?version=2` the way an
 * engine without BuildKit does, and `uploadedContextBug` the way Docker 25–27.4's BuildKit fails to read an
 * uploaded context. `classicCacheRace` answers the first classic build the way the classic builder does when an
 * image is removed while its cache looks it up (moby's image/cache); later builds reach the engine. Everything
 * else is forwarded as is.
 */
export async function engineShim(
  opts: {
    apiVersion?: string
    rejectBuildkit?: boolean
    uploadedContextBug?: boolean
    classicCacheRace?: boolean
  },
  target = engineSocket()
): Promise<Closable & { dockerHost: string; requests: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'si-shim-'))
  const sock = path.join(dir, 'docker.sock')
  const requests: string[] = []
  let raced = false
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/'
    requests.push(`${req.method} ${url}`)
    if (
      opts.rejectBuildkit &&
      req.method === 'POST' &&
      /\/build\?/.test(url) &&
      /[?&]version=2(&|$)/.test(url)
    ) {
      req.resume()
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'buildkit not supported by daemon' }))
      return
    }
    if (
      opts.uploadedContextBug &&
      req.method === 'POST' &&
      /\/build\?/.test(url) &&
      /[?&]version=2(&|$)/.test(url)
    ) {
      // What Docker 25–27.4 with the containerd store streams back (moby/moby#47717).
      req.resume()
      const message =
        'failed to read downloaded context: failed to load cache key: Get "http://build-context-xq2yh6k9pgc0/": dial tcp: lookup build-context-xq2yh6k9pgc0: no such host'
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errorDetail: { message }, error: message }) + '\n')
      return
    }
    if (
      opts.classicCacheRace &&
      !raced &&
      req.method === 'POST' &&
      /\/build\?/.test(url) &&
      !/[?&]version=2(&|$)/.test(url)
    ) {
      raced = true
      req.resume()
      const message = `unable to find image "sha256:${'c3'.repeat(32)}"`
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        [
          { stream: 'Step 1/3 : FROM busybox:stable\n' },
          { stream: ' ---> 0832d977ece7\n' },
          { stream: 'Step 2/3 : RUN echo built > /built\n' },
          { errorDetail: { message }, error: message }
        ]
          .map((m) => JSON.stringify(m) + '\n')
          .join('')
      )
      return
    }
    const rewrite = opts.apiVersion && /\/version$/.test(url.split('?')[0])
    const up = http.request(
      { socketPath: target, method: req.method, path: url, headers: req.headers },
      (upRes) => {
        if (!rewrite) {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers)
          upRes.pipe(res)
          return
        }
        const chunks: Buffer[] = []
        upRes.on('data', (d: Buffer) => chunks.push(d))
        upRes.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
          body.ApiVersion = opts.apiVersion
          const text = JSON.stringify(body)
          const headers = { ...upRes.headers, 'content-length': String(Buffer.byteLength(text)) }
          delete headers['transfer-encoding']
          res.writeHead(upRes.statusCode ?? 200, headers)
          res.end(text)
        })
      }
    )
    up.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(up)
  })
  await new Promise<void>((resolve) => server.listen(sock, resolve))
  return {
    dockerHost: `unix://${sock}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
