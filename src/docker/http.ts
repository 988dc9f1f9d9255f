/**
 * The light client: plain HTTP requests to the engine over node:http (its unix socket, or TCP with TLS when
 * configured), for the calls that need no more than a GET (image inspect and export). It loads nothing but
 * node's own modules, so that `secure-image scan` can send the export request before dockerode (over a
 * megabyte of code with its SSH and gRPC transports) is loaded, or without loading it at all.
 *
 * Hand-written, not docker-modem: the modem cannot be loaded without dockerode's SSH transport. It follows the
 * modem's rules, so that both reach the same engine and fail with the same errors: DOCKER_HOST (unix://,
 * npipe://, tcp://, with DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and DOCKER_CLIENT_TIMEOUT), `~/.docker/run/
 * docker.sock` before `/var/run/docker.sock` when DOCKER_HOST is unset, and errors that carry the HTTP
 * status and the engine's JSON answer. An ssh:// host is left to dockerode.
 */
import { accessSync, readFileSync } from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import { homedir, type as osType } from 'node:os'
import { join } from 'node:path'

/** Where and how to reach the engine: a socket path, or a host and port over HTTP(S) or SSH. */
export interface Connection {
  socketPath?: string
  host?: string
  port?: string | number
  protocol: 'http' | 'https' | 'ssh'
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  /** DOCKER_CLIENT_TIMEOUT: a socket idle for this long (ms) is closed. */
  timeout?: number
}

/** dockerode's constructor options for an explicit Docker host (DOCKER_HOST's value form). */
export interface HostOptions {
  socketPath?: string
  host?: string
  port?: string | number
  protocol?: 'http' | 'https'
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
}

/** The options for an explicit Docker host (`unix://…`, `npipe://…`, `tcp://host:port`); none without one. */
export function hostOptions(dockerHost: string | undefined): HostOptions | undefined {
  if (!dockerHost) return undefined
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) }
  if (dockerHost.startsWith('npipe://')) return { socketPath: dockerHost.slice('npipe://'.length) }
  let u: URL
  try {
    u = new URL(dockerHost.includes('//') ? dockerHost : `tcp://${dockerHost}`)
  } catch {
    throw new Error(
      `invalid Docker host "${dockerHost}": expected unix:///path/to/docker.sock or tcp://host:port`
    )
  }
  if (u.protocol !== 'tcp:' && u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`unsupported Docker host "${dockerHost}": use unix:// or tcp://`)
  }
  const tls = process.env.DOCKER_TLS_VERIFY === '1' || u.port === '2376' || u.protocol === 'https:'
  const o: HostOptions = {
    host: u.hostname,
    port: u.port || (tls ? 2376 : 2375),
    protocol: tls ? 'https' : 'http'
  }
  const certs = process.env.DOCKER_CERT_PATH
  if (tls && certs) {
    o.ca = readFileSync(join(certs, 'ca.pem'))
    o.cert = readFileSync(join(certs, 'cert.pem'))
    o.key = readFileSync(join(certs, 'key.pem'))
  }
  return o
}

/** The engine's socket when DOCKER_HOST does not name one, as docker-modem picks it. */
function defaultSocket(): string {
  if (osType() === 'Windows_NT') return '//./pipe/docker_engine'
  const user = join(homedir(), '.docker', 'run', 'docker.sock')
  try {
    accessSync(user)
    return user
  } catch {
    return '/var/run/docker.sock'
  }
}

/** The connection from the environment alone, as docker-modem reads it. */
function fromEnvironment(): Connection {
  const env = process.env.DOCKER_HOST
  if (!env) return { socketPath: defaultSocket(), protocol: 'http' }
  if (env.startsWith('unix://')) return { socketPath: env.slice(7) || defaultSocket(), protocol: 'http' }
  if (env.startsWith('npipe://'))
    return { socketPath: env.slice(8) || '//./pipe/docker_engine', protocol: 'http' }
  let u: URL
  try {
    u = new URL(env.includes('//') ? env : `tcp://${env}`)
  } catch {
    throw new Error('DOCKER_HOST env variable should be something like tcp://localhost:1234')
  }
  const c: Connection = {
    host: u.hostname,
    port: u.port,
    protocol:
      process.env.DOCKER_TLS_VERIFY === '1' || u.port === '2376'
        ? 'https'
        : u.protocol === 'ssh:'
          ? 'ssh'
          : 'http'
  }
  const certs = process.env.DOCKER_CERT_PATH
  if (certs) {
    c.ca = readFileSync(join(certs, 'ca.pem'))
    c.cert = readFileSync(join(certs, 'cert.pem'))
    c.key = readFileSync(join(certs, 'key.pem'))
  }
  if (process.env.DOCKER_CLIENT_TIMEOUT) c.timeout = parseInt(process.env.DOCKER_CLIENT_TIMEOUT, 10)
  return c
}

/**
 * The connection to an explicit Docker host, or to the one the environment names. The explicit host's options
 * are laid over the environment's, as dockerode's modem does (a host, from either, wins over a socket path).
 */
export function resolveConnection(dockerHost: string | undefined): Connection {
  const c: Connection = { ...fromEnvironment(), ...hostOptions(dockerHost) }
  if (c.host) delete c.socketPath
  return c
}

/** An error as docker-modem makes it: the HTTP status, the reason, the engine's message and its JSON. */
export type EngineHttpError = Error & { statusCode?: number; reason?: string | boolean; json?: unknown }

export interface GetOptions {
  /** The path with its query string, as the engine API takes it (`/images/{name}/json`). */
  path: string
  /** Status codes: `true` for success, a string for an error's reason (others are `unexpected`). */
  statusCodes: Record<number, boolean | string>
  /** Resolve with the response stream (an export) instead of its parsed JSON. */
  stream?: boolean
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

function readBody(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => resolve(Buffer.concat(chunks)))
    res.on('error', reject)
  })
}

/**
 * A GET to the engine. Resolves with the parsed JSON answer (or the response stream with `stream`); rejects
 * with the transport's error (`code` ENOENT, ECONNREFUSED, …) or an `EngineHttpError` for a refused status.
 */
export function engineGet<T>(c: Connection, opts: GetOptions): Promise<T> {
  if (c.protocol === 'ssh') return Promise.reject(new Error('the light client does not speak SSH'))
  return new Promise<T>((resolve, reject) => {
    const target: https.RequestOptions = { path: opts.path, method: 'GET', headers: {} }
    if (c.socketPath) {
      target.socketPath = c.socketPath
      // No TLS, so no server name: node's agent otherwise works one out (net.isIP's first use compiles a large
      // regular expression, some 20 ms of a scan's start).
      target.servername = ''
    } else {
      target.hostname = c.host?.replace(/^\[(.*)\]$/, '$1')
      target.port = c.port
    }
    if (c.protocol === 'https') Object.assign(target, { ca: c.ca, cert: c.cert, key: c.key })
    let req: http.ClientRequest
    try {
      req = (c.protocol === 'https' ? https : http).request(target)
    } catch (e) {
      reject(e as Error)
      return
    }
    if (c.timeout) {
      req.setTimeout(c.timeout)
      req.on('timeout', () => req.destroy())
    }
    req.on('error', reject)
    req.on('response', (res) => {
      const ok = opts.statusCodes[res.statusCode ?? 0] === true
      if (ok && opts.stream) {
        resolve(res as T)
        return
      }
      readBody(res).then((body) => {
        const text = body.toString()
        const json = parseJson(text)
        if (ok) {
          resolve((json ?? body) as T)
          return
        }
        // The modem keeps no JSON for a refused stream: the cause is in the message only.
        const cause = (json ?? text) as { message?: string; error?: string } | string
        const why = typeof cause === 'string' ? cause : (cause.message ?? cause.error ?? cause)
        const reason = opts.statusCodes[res.statusCode ?? 0]
        const err: EngineHttpError = new Error(
          `(HTTP code ${res.statusCode}) ${reason || 'unexpected'} - ${String(why)} `
        )
        err.reason = reason
        err.statusCode = res.statusCode
        err.json = opts.stream ? null : (json ?? body)
        reject(err)
      }, reject)
    })
    req.end()
  })
}
