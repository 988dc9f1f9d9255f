/**
 * The light client's streamed GET (the image export): a raw HTTP/1.1 request on its own connection, whose
 * answer is read into two buffers that are reused for every read. A reader that takes the bytes in place
 * (`readViews`) gets views of those buffers: nothing is allocated or copied per read. Reading a 164 MiB export
 * through node:http, which allocates a buffer for every read, costs three times the CPU (0.5 s against 0.15 s
 * on the test machine), and slows the engine that shares the CPU. A plain stream reader (pipe, `data` events)
 * gets copies, as from any stream.
 *
 * Hand-written, because node:http cannot read into a reused buffer (node's `onread` option is for sockets); the
 * answer is parsed by http-response.ts. Answers other than success are read whole and rejected with the
 * engine's message, as the JSON GETs of http.ts do. TLS connections are read without the reused buffers (TLS
 * sockets take no `onread`).
 */
import * as net from 'node:net'
import { Readable } from 'node:stream'
import * as tls from 'node:tls'
import type { Connection, EngineHttpError } from './http.js'
import { ResponseParser } from './http-response.js'

/**
 * A source whose bytes can be read in place. `onChunk` gets views that stay valid until it returns, or until
 * the promise it returns settles; the source keeps reading meanwhile (up to a bound) and hands over the rest
 * in order afterwards.
 */
export interface ViewReader {
  readViews(onChunk: (view: Buffer) => void | Promise<void>): Promise<void>
}

const READ_BUFFER = 256 * 1024
/** Bytes read from the engine while the reader is busy, before the engine is made to wait. */
const READ_AHEAD = 4 * 1024 * 1024

/**
 * A streamed answer of the engine. Read it in place with `readViews`, or as any Readable; one or the other,
 * once. Until a reader comes, the connection is not read (what already arrived is kept).
 */
export class EngineStream extends Readable implements ViewReader {
  private mode: 'waiting' | 'views' | 'stream' = 'waiting'
  private viewer?: (view: Buffer) => void | Promise<void>
  private settleViews?: { resolve: () => void; reject: (err: Error) => void }
  /** Copies of what arrived while the reader was busy or not there yet, in order. */
  private queue: Buffer[] = []
  private queued = 0
  /** The buffer of a view the reader still holds: reads go to the other buffer meanwhile. */
  private held: Uint8Array | undefined
  private busy = false
  private ended = false
  private failure: Error | undefined
  /** The connection is not being read (the last read said to stop). */
  private stopped = false

  constructor(
    private readonly socket: net.Socket,
    private readonly parser: ResponseParser
  ) {
    super({ highWaterMark: 1024 * 1024 })
  }

  readViews(onChunk: (view: Buffer) => void | Promise<void>): Promise<void> {
    if (this.mode !== 'waiting') return Promise.reject(new Error('the stream is already being read'))
    this.mode = 'views'
    this.viewer = onChunk
    return new Promise<void>((resolve, reject) => {
      this.settleViews = { resolve, reject }
      this.drain()
    })
  }

  /**
   * A read of the connection; `view` is a view of `buffer`, which is read into again after this returns.
   * False to stop reading until the reader catches up.
   */
  onRead(view: Buffer, buffer: Uint8Array): boolean {
    if (this.failure || this.ended) return false
    try {
      this.parser.body(view, 0, (piece) => this.onPiece(piece, buffer))
      if (this.parser.done) this.bodyEnd()
    } catch (err) {
      this.fail(err as Error)
    }
    this.stopped = !this.canRead
    return !this.stopped
  }

  private readOn(): void {
    if (this.stopped && this.canRead) {
      this.stopped = false
      this.socket.resume()
    }
  }

  /** The buffer for the next read: not the one whose view the reader holds. */
  nextBuffer(buffers: [Uint8Array, Uint8Array], current: Uint8Array): Uint8Array {
    if (this.held !== current) return current
    return current === buffers[0] ? buffers[1] : buffers[0]
  }

  /** Whether the connection may be read now (false: the reader is behind, or no reader yet). */
  get canRead(): boolean {
    if (this.failure || this.ended) return false
    if (this.mode === 'stream') return this.readableLength < this.readableHighWaterMark
    return this.queued < READ_AHEAD && this.mode !== 'waiting'
  }

  /** The connection ended. */
  connectionEnded(): void {
    if (this.ended || this.failure) return
    try {
      this.parser.end()
      this.bodyEnd()
    } catch (err) {
      this.fail(err as Error)
    }
  }

  fail(err: Error): void {
    if (this.failure) return
    this.failure = err
    this.socket.destroy()
    this.queue = []
    this.queued = 0
    if (this.mode === 'views') this.finish(err)
    else if (this.mode === 'stream') this.destroy(err)
    // Waiting: the reader gets the error when it comes.
  }

  /** A piece of the body, a view of `buffer`. */
  private onPiece(piece: Buffer, buffer: Uint8Array): void {
    if (this.mode === 'stream') {
      this.push(Buffer.from(piece))
      return
    }
    if (this.mode === 'views' && !this.busy && this.queue.length === 0) {
      const hold = (this.viewer as (v: Buffer) => void | Promise<void>)(piece)
      if (hold) {
        this.busy = true
        this.held = buffer
        hold.then(
          () => {
            this.busy = false
            this.held = undefined
            this.drain()
          },
          (err: Error) => this.fail(err)
        )
      }
      return
    }
    this.queue.push(Buffer.from(piece))
    this.queued += piece.length
  }

  /** Hands over what was kept, in order, while the reader keeps up; then reads on, or finishes. */
  private drain(): void {
    if (this.failure) return this.finish(this.failure)
    while (this.queue.length > 0 && !this.busy) {
      const chunk = this.queue.shift() as Buffer
      this.queued -= chunk.length
      const hold = (this.viewer as (v: Buffer) => void | Promise<void>)(chunk)
      if (hold) {
        this.busy = true
        hold.then(
          () => {
            this.busy = false
            this.drain()
          },
          (err: Error) => this.fail(err)
        )
      }
    }
    if (this.busy || this.failure) return
    if (this.ended) this.finish()
    else this.readOn()
  }

  private bodyEnd(): void {
    if (this.ended) return
    this.ended = true
    this.socket.setTimeout(0)
    this.socket.destroy()
    if (this.mode === 'stream') this.push(null)
    else if (this.mode === 'views' && !this.busy && this.queue.length === 0) this.finish()
  }

  private finish(err?: Error): void {
    const s = this.settleViews
    this.settleViews = undefined
    if (!s) return
    if (err) s.reject(err)
    else s.resolve()
  }

  override _read(): void {
    if (this.mode === 'waiting') {
      this.mode = 'stream'
      if (this.failure) return void this.destroy(this.failure)
      for (const c of this.queue) this.push(c)
      this.queue = []
      this.queued = 0
      if (this.ended) return void this.push(null)
    }
    this.readOn()
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy()
    if (this.mode === 'views') this.finish(err ?? this.failure ?? new Error('the export stream was closed'))
    cb(err)
  }
}

/**
 * Whether a request keeps the process alive. A request made ahead of need (the CLI's early export) does not,
 * until someone takes it: a CLI that stops before needing it exits instead of waiting for the engine.
 */
export class KeepAlive {
  private socket?: net.Socket
  constructor(private alive = true) {}
  attach(socket: net.Socket): void {
    this.socket = socket
    if (!this.alive) socket.unref()
  }
  ref(): void {
    this.alive = true
    this.socket?.ref()
  }
}

export interface StreamGetOptions {
  path: string
  statusCodes: Record<number, boolean | string>
  /** The engine may send nothing for this long (ms) once its answer has started. */
  idleMs: number
  /** What the stream is, for the idle error (`the export of debian:12`). */
  what: string
  /** Aborts the request (the caller's deadline passed). */
  signal?: AbortSignal
  /** Whether the request keeps the process alive (by default it does). */
  keepAlive?: KeepAlive
}

function connect(c: Connection, onread: net.OnReadOpts | undefined): net.Socket {
  if (c.socketPath) return net.connect({ path: c.socketPath, ...(onread ? { onread } : {}) })
  const host = (c.host ?? 'localhost').replace(/^\[(.*)\]$/, '$1')
  const port = Number(c.port)
  if (c.protocol === 'https') {
    return tls.connect({
      host,
      port,
      ca: c.ca,
      cert: c.cert,
      key: c.key,
      ...(net.isIP(host) ? {} : { servername: host })
    })
  }
  return net.connect({ host, port, ...(onread ? { onread } : {}) })
}

/** The error docker-modem makes for a refused status, from the answer's body. */
function refusal(status: number, body: Buffer, statusCodes: Record<number, boolean | string>): Error {
  const text = body.toString()
  let j: { message?: string; error?: string } | null
  try {
    j = JSON.parse(text) as { message?: string; error?: string } | null
  } catch {
    j = null
  }
  const why = j && typeof j === 'object' ? (j.message ?? j.error ?? text) : text
  const reason = statusCodes[status]
  const err: EngineHttpError = new Error(`(HTTP code ${status}) ${reason || 'unexpected'} - ${String(why)} `)
  err.reason = reason
  err.statusCode = status
  err.json = null
  return err
}

/**
 * A streamed GET: resolves with the answer's body as an EngineStream once a success status arrives; rejects
 * with the connection's error (`code` ENOENT, ECONNREFUSED, …) or an `EngineHttpError` for a refused status.
 */
export function engineStreamGet(c: Connection, opts: StreamGetOptions): Promise<EngineStream> {
  if (c.protocol === 'ssh') return Promise.reject(new Error('the light client does not speak SSH'))
  return new Promise<EngineStream>((resolve, reject) => {
    const parser = new ResponseParser()
    let stream: EngineStream | undefined
    let refused: Buffer[] | undefined
    let settled = false
    const settle = (err: Error | undefined): void => {
      if (settled) return
      settled = true
      if (err) {
        socket.destroy()
        reject(err)
      } else resolve(stream as EngineStream)
    }
    const refuse = (): void => settle(refusal(parser.status, Buffer.concat(refused ?? []), opts.statusCodes))

    /** A read; false to stop reading until resumed. */
    const onData = (view: Buffer, buffer: Uint8Array): boolean => {
      if (stream) return stream.onRead(view, buffer)
      try {
        let at = 0
        if (!refused) {
          at = parser.readHead(view)
          if (at < 0) return true
          if (opts.statusCodes[parser.status] !== true) refused = []
        }
        if (refused) {
          const body = refused
          parser.body(view, at, (piece) => body.push(Buffer.from(piece)))
          if (parser.done) refuse()
          return true
        }
        stream = new EngineStream(socket, parser)
        socket.setTimeout(opts.idleMs, () =>
          stream?.fail(
            new Error(
              `the Docker engine sent nothing for ${Math.round(opts.idleMs / 1000)}s during ${opts.what}`
            )
          )
        )
        settle(undefined)
        return stream.onRead(view.subarray(at), buffer)
      } catch (err) {
        settle(err as Error)
        return false
      }
    }

    const buffers: [Uint8Array, Uint8Array] = [
      Buffer.allocUnsafe(READ_BUFFER),
      Buffer.allocUnsafe(READ_BUFFER)
    ]
    let current = buffers[0]
    const onread: net.OnReadOpts = {
      // Called after each read for the buffer of the next one.
      buffer: () => (current = stream ? stream.nextBuffer(buffers, current) : current),
      callback: (n: number, buf: Uint8Array) => onData(Buffer.from(buf.buffer, buf.byteOffset, n), buf)
    }
    const secure = c.protocol === 'https'
    const socket = connect(c, secure ? undefined : onread)
    opts.keepAlive?.attach(socket)
    if (secure) {
      socket.on('data', (chunk: Buffer) => {
        if (!onData(chunk, chunk)) socket.pause()
      })
    }
    socket.on('error', (err) => {
      if (stream) stream.fail(err)
      else settle(err)
    })
    socket.on('end', () => {
      if (stream) stream.connectionEnded()
      else if (refused) {
        try {
          parser.end()
        } catch {
          // The refusal's body ended early: report what came.
        }
        refuse()
      } else settle(new Error('the engine closed the connection before its answer'))
    })
    socket.on('close', () => {
      if (stream) stream.connectionEnded()
      else settle(new Error('the engine closed the connection before its answer'))
    })
    opts.signal?.addEventListener('abort', () => {
      if (!stream) settle(new Error('the request was aborted'))
    })
    socket.write(`GET ${opts.path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
  })
}
