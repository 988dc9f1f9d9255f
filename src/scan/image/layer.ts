/**
 * Walks the entries of one layer (a tar, possibly gzip- or zstd-compressed) as it streams. Nothing is written
 * to disk and nothing is kept unless the visitor asks for it: the visitor sees each entry's header and may
 * return a sink for the entry's bytes; all other content is skipped as it passes.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar-stream'
import { decompressor, detectCompression } from './decompress.js'
import { normalizeEntryPath } from './paths.js'

export interface EntryInfo {
  /** Root-relative, normalized (`etc/passwd`). */
  path: string
  /** tar-stream's type: `file`, `directory`, `symlink`, `link`, … or `unknown`. */
  type: string
  mode: number
  size: number
  linkname?: string
}

export interface Sink {
  write(chunk: Buffer): void
  end(): void
}

export type Visitor = (entry: EntryInfo) => Sink | undefined

export interface LayerStats {
  entries: number
  /** Uncompressed bytes read. */
  bytes: number
  /** Entries ignored because their names left the root or were empty. */
  rejected: string[]
}

export interface WalkOptions {
  /** Refuse layers that decompress to more than this many bytes (decompression bombs). */
  maxLayerBytes: number
  /** What to call the layer in error messages. */
  name: string
}

/** Bytes that may wait between the stages of a layer's pipeline: enough to keep the engine's stream flowing. */
const BUFFER = 1024 * 1024

/** Reads the first `n` bytes of a stream (fewer at its end) and returns them with a stream of the whole. */
export async function peek(stream: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const chunks: Buffer[] = []
  let len = 0
  let done = false
  while (len < n) {
    const r = await it.next()
    if (r.done) {
      done = true
      break
    }
    chunks.push(r.value)
    len += r.value.length
  }
  const head = Buffer.concat(chunks)
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head
    if (done) return
    for (;;) {
      const r = await it.next()
      if (r.done) return
      yield r.value
    }
  }
  return {
    head: head.subarray(0, n),
    stream: Readable.from(all(), { objectMode: false, highWaterMark: BUFFER })
  }
}

class Counter extends Transform {
  bytes = 0
  constructor(
    private readonly max: number,
    private readonly name: string
  ) {
    super({ highWaterMark: BUFFER })
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.max) {
      cb(
        new Error(
          `${this.name} decompresses to more than ${this.max} bytes; refusing it as a decompression bomb (raise maxLayerBytes if the image is genuine)`
        )
      )
      return
    }
    cb(null, chunk)
  }
}

/** Walks one layer stream whose first bytes are `head` (from `peek`). */
export async function walkLayer(
  head: Buffer,
  input: Readable,
  visitor: Visitor,
  options: WalkOptions
): Promise<LayerStats> {
  const kind = detectCompression(head)
  if (!kind) throw new Error(`${options.name} is neither a tar nor a gzip- or zstd-compressed tar`)
  const stats: LayerStats = { entries: 0, bytes: 0, rejected: [] }
  const counter = new Counter(options.maxLayerBytes, options.name)
  const extract = tar.extract({ allowUnknownFormat: true, highWaterMark: BUFFER } as Parameters<
    typeof tar.extract
  >[0])
  extract.on('entry', (header, stream, next) => {
    stats.entries++
    const path = normalizeEntryPath(header.name)
    let sink: Sink | undefined
    if (path === undefined) {
      const root = /^[./]*$/.test(header.name)
      if (!root && stats.rejected.length < 20) stats.rejected.push(header.name)
    } else {
      const info: EntryInfo = {
        path,
        type: (header.type as string | null) ?? 'unknown',
        mode: header.mode ?? 0,
        size: header.size ?? 0
      }
      if (header.linkname) info.linkname = header.linkname
      sink = visitor(info)
    }
    if (sink) {
      const s = sink
      stream.on('data', (c) => s.write(c as Buffer))
      stream.on('end', () => {
        s.end()
        next()
      })
    } else {
      stream.on('end', () => next())
      stream.resume()
    }
    stream.on('error', (err: Error) => next(err))
  })
  const stages: NodeJS.ReadWriteStream[] = []
  const d = decompressor(kind, head)
  if (d) stages.push(d)
  try {
    await pipeline([input, ...stages, counter, extract as unknown as NodeJS.WritableStream])
  } catch (err) {
    const msg = (err as Error).message
    if (msg.includes(options.name)) throw err
    throw new Error(`${options.name} could not be read: ${msg}`, { cause: err })
  }
  stats.bytes = counter.bytes
  return stats
}
