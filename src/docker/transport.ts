/**
 * How the product talks to the engine: the dockerode client for the Docker host, raw calls through its modem
 * (for the endpoints dockerode does not shape the way we need), plain GETs through the light client (http.ts),
 * the engine's JSON-lines streams, and a bound on every call: a deadline on plain calls, an idle timeout on
 * streams (a build, a push or an export may run long, but an engine that sends nothing for that long is stuck).
 * dockerode is loaded on the first call that needs it, so that a scan, which needs only GETs, never loads it.
 */
import type { IncomingMessage } from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import { Transform } from 'node:stream'
import type Docker from 'dockerode'
import { engineGet, hostOptions, resolveConnection, type Connection, type GetOptions } from './http.js'
import { engineStreamGet, KeepAlive } from './stream-get.js'

/** Bounds of engine calls, in milliseconds. */
export interface EngineTimeouts {
  /** A plain call (version, inspect, tag, remove, container create/start/inspect). */
  callMs: number
  /** A stream that sends nothing (build output, push and pull progress, an image export). */
  idleMs: number
  /** A build step may be silent far longer than a transfer (a compiler, a test suite). */
  buildIdleMs: number
}

export const DEFAULT_TIMEOUTS: EngineTimeouts = {
  callMs: 120_000,
  idleMs: 300_000,
  buildIdleMs: 1_800_000
}

export interface DialOptions {
  path: string
  method: string
  options?: Record<string, unknown>
  file?: NodeJS.ReadableStream
  authconfig?: Record<string, string>
  isStream?: boolean
  headers?: Record<string, string>
  statusCodes: Record<number, boolean | string>
  abortSignal?: AbortSignal
}

interface Modem {
  dial(
    opts: DialOptions,
    cb: (err: (Error & { statusCode?: number; json?: unknown }) | null, res: unknown) => void
  ): void
}

export interface JsonMessage {
  stream?: string
  status?: string
  id?: string
  progress?: string
  aux?: unknown
  error?: string
  errorDetail?: { message?: string }
}

const UNREACHABLE = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EPERM'
])

/** The engine's error text in a JSON message, when it is one. */
export function errorText(m: JsonMessage): string | undefined {
  if (m.errorDetail?.message) return m.errorDetail.message
  return m.error
}

/**
 * Destroys `stream` with a clear error when it sends nothing for `ms`. Returns the function that stops the
 * watch. Used on every engine stream, so a stuck engine fails the step instead of hanging it.
 */
export function idleTimeout(stream: NodeJS.ReadableStream, ms: number, what: string): () => void {
  let timer: NodeJS.Timeout | undefined
  const arm = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      const err = new Error(`the Docker engine sent nothing for ${Math.round(ms / 1000)}s during ${what}`)
      ;(stream as NodeJS.ReadableStream & { destroy?: (e: Error) => void }).destroy?.(err)
    }, ms)
    timer.unref()
  }
  const stop = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
  }
  arm()
  stream.on('data', arm)
  stream.on('end', stop)
  stream.on('close', stop)
  stream.on('error', stop)
  return stop
}

/**
 * The same bound on a stream that someone else reads: the data passes through a Transform that re-arms the
 * timer as it flows (so backpressure is kept, and no listener switches the source into flowing mode).
 */
export function guardIdle(source: NodeJS.ReadableStream, ms: number, what: string): NodeJS.ReadableStream {
  let timer: NodeJS.Timeout | undefined
  const fail = (): void => {
    const err = new Error(`the Docker engine sent nothing for ${Math.round(ms / 1000)}s during ${what}`)
    guarded.destroy(err)
    ;(source as NodeJS.ReadableStream & { destroy?: (e?: Error) => void }).destroy?.()
  }
  const arm = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(fail, ms)
    timer.unref()
  }
  const guarded = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      arm()
      cb(null, chunk)
    },
    flush(cb) {
      if (timer) clearTimeout(timer)
      cb()
    }
  })
  guarded.on('close', () => timer && clearTimeout(timer))
  source.on('error', (e: Error) => guarded.destroy(e))
  arm()
  return source.pipe(guarded)
}

/** Reads a JSON-lines response, calling `onMessage` for each message, with an idle timeout. */
export function readMessages(
  res: NodeJS.ReadableStream,
  onMessage: (m: JsonMessage) => void,
  idle: { ms: number; what: string }
): Promise<void> {
  const stop = idleTimeout(res, idle.ms, idle.what)
  return new Promise<void>((resolvePromise, reject) => {
    let buf = ''
    const utf8 = new StringDecoder('utf8')
    const handle = (line: string): void => {
      const t = line.trim()
      if (!t) return
      let m: JsonMessage
      try {
        m = JSON.parse(t) as JsonMessage
      } catch {
        m = { stream: `${t}\n` }
      }
      onMessage(m)
    }
    res.on('data', (chunk: Buffer | string) => {
      buf += typeof chunk === 'string' ? chunk : utf8.write(chunk)
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        try {
          handle(line)
        } catch (e) {
          reject(e as Error)
        }
      }
    })
    res.on('end', () => {
      try {
        handle(buf + utf8.end())
        resolvePromise()
      } catch (e) {
        reject(e as Error)
      }
    })
    res.on('error', reject)
  }).finally(stop)
}

/** The client for one Docker host, with errors a user can act on and a bound on every call. */
export class Transport {
  readonly where: string
  private readonly connection: Connection
  private client?: Promise<Docker>

  constructor(
    private readonly dockerHost: string | undefined,
    readonly timeouts: EngineTimeouts = DEFAULT_TIMEOUTS
  ) {
    this.where = dockerHost ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
    this.connection = resolveConnection(dockerHost)
  }

  /** Whether GETs go through the light client (every host but ssh://, which only dockerode reaches). */
  get light(): boolean {
    return this.connection.protocol !== 'ssh'
  }

  /** The dockerode client, loaded on first use. */
  docker(): Promise<Docker> {
    this.client ??= import('dockerode').then(({ default: D }) => new D(hostOptions(this.dockerHost)))
    return this.client
  }

  /** Turns a transport error into "cannot reach the Docker engine at …" or "the engine answered HTTP …". */
  engineError(e: unknown): Error {
    const err = e as Error & { code?: string; statusCode?: number; json?: { message?: string } }
    if (err.name === 'TimeoutError') {
      return new Error(
        `the Docker engine at ${this.where} did not answer within ${Math.round(this.timeouts.callMs / 1000)}s`
      )
    }
    if (err.code && UNREACHABLE.has(err.code) && err.statusCode === undefined) {
      return new Error(`cannot reach the Docker engine at ${this.where}: ${err.code} ${err.message}`.trim())
    }
    if (err.statusCode !== undefined) {
      const msg = (err.json && typeof err.json === 'object' && err.json.message) || err.message
      const e2 = new Error(`the Docker engine answered HTTP ${err.statusCode}: ${String(msg).trim()}`)
      ;(e2 as Error & { statusCode?: number }).statusCode = err.statusCode
      return e2
    }
    return err instanceof Error ? err : new Error(String(e))
  }

  /** A plain dockerode call, bounded by the call deadline. */
  call<T>(fn: (docker: Docker) => Promise<T>): Promise<T> {
    return this.bounded(() => this.docker().then(fn))
  }

  private async bounded<T>(fn: () => Promise<T>, onTimeout?: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.()
        reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))
      }, this.timeouts.callMs)
      timer.unref()
    })
    try {
      return await Promise.race([fn(), deadline])
    } catch (e) {
      throw this.engineError(e)
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * A GET bounded by the call deadline (until the answer's headers, for a stream), through the light client;
   * through dockerode's modem when the host is reached over SSH.
   */
  get<T>(opts: GetOptions): Promise<T> {
    if (this.connection.protocol === 'ssh') {
      return this.call(
        (d) =>
          new Promise<T>((resolvePromise, reject) =>
            (d.modem as Modem).dial(
              { path: opts.path, method: 'GET', isStream: opts.stream, statusCodes: opts.statusCodes },
              (err, res) => (err ? reject(err) : resolvePromise(res as T))
            )
          )
      )
    }
    return this.bounded(() => engineGet<T>(this.connection, opts))
  }

  /**
   * A streamed GET (an export), bounded by the call deadline until its answer starts and by the idle timeout
   * after. Through the light client's in-place reader (stream-get.ts); through dockerode's modem over SSH.
   */
  async getStream(
    opts: {
      path: string
      statusCodes: Record<number, boolean | string>
      what: string
    },
    keepAlive?: KeepAlive
  ): Promise<NodeJS.ReadableStream> {
    if (this.connection.protocol === 'ssh') {
      const stream = await this.get<NodeJS.ReadableStream>({ ...opts, stream: true })
      return guardIdle(stream, this.timeouts.idleMs, opts.what)
    }
    const abort = new AbortController()
    return this.bounded(
      () =>
        engineStreamGet(this.connection, {
          ...opts,
          idleMs: this.timeouts.idleMs,
          signal: abort.signal,
          ...(keepAlive ? { keepAlive } : {})
        }),
      () => abort.abort()
    )
  }

  /** A raw request through the modem. A streamed answer is bounded by the caller's idle timeout. */
  async dial<T>(opts: DialOptions): Promise<T> {
    let modem: Modem
    try {
      modem = (await this.docker()).modem as Modem
    } catch (e) {
      throw this.engineError(e)
    }
    return new Promise((resolvePromise, reject) => {
      modem.dial(opts, (err, res) => (err ? reject(this.engineError(err)) : resolvePromise(res as T)))
    })
  }

  /** A raw streamed request whose answer is a JSON-lines stream. */
  dialStream(opts: DialOptions): Promise<IncomingMessage> {
    return this.dial<IncomingMessage>({ ...opts, isStream: true })
  }
}
