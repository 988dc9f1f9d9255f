/**
 * Walks the entries of one layer (a tar, possibly gzip- or zstd-compressed) as it streams. Nothing is written
 * to disk and nothing is kept unless the visitor asks for it: the visitor sees each entry's header and may
 * return a sink for the entry's bytes; all other content is skipped as it passes.
 */
import type { Transform } from 'node:stream'
import { decompressor, detectCompression } from './decompress.js'
import { normalizeEntryPath } from './paths.js'
import { TarReader, type TarHeader } from './tar.js'
export interface EntryInfo {
  /** Root-relative, normalized (`etc/passwd`). */
  path: string
  /** tar-stream's type: `file`, `directory`, `symlink`, `link`, … or `unknown`. */
  type: string
  mode: number
  size: number
  linkname?: string
}

/**
 * Receives one entry's bytes. `chunk` is valid only during the call (it may be a view of a buffer the engine's
 * stream reads into again): a sink that keeps bytes copies them.
 */
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

/** Receives a layer's bytes as they stream; `end` resolves with what was read once the layer is walked. */
export interface LayerSink {
  write(chunk: Buffer): void | Promise<void>
  end(): Promise<LayerStats>
}

/**
 * Opens one layer whose first bytes are `head` (at most 512, from the archive): the sink decompresses what it
 * is given (from the first byte, `head` included), reads the tar inside and calls the visitor for each entry.
 * An error names the layer: the decompression bomb limit, a corrupt compression or tar, a visitor's error.
 */
export function openLayer(head: Buffer, visitor: Visitor, options: WalkOptions): LayerSink {
  const kind = detectCompression(head)
  if (!kind) throw new Error(`${options.name} is neither a tar nor a gzip- or zstd-compressed tar`)
  const stats: LayerStats = { entries: 0, bytes: 0, rejected: [] }
  const wrap = (err: unknown): Error => {
    const msg = (err as Error).message
    if (msg.includes(options.name)) return err as Error
    return new Error(`${options.name} could not be read: ${msg}`, { cause: err })
  }
  const tar = new TarReader((header: TarHeader) => {
    stats.entries++
    const path = normalizeEntryPath(header.name)
    if (path === undefined) {
      const root = /^[./]*$/.test(header.name)
      if (!root && stats.rejected.length < 20) stats.rejected.push(header.name)
      return undefined
    }
    const info: EntryInfo = { path, type: header.type ?? 'unknown', mode: header.mode, size: header.size }
    if (header.linkname) info.linkname = header.linkname
    return visitor(info)
  }, true)
  /** Counts the uncompressed bytes and reads them; a promise when a sink holds the reader. */
  const read = (chunk: Buffer): void | Promise<void> => {
    stats.bytes += chunk.length
    if (stats.bytes > options.maxLayerBytes) {
      throw new Error(
        `${options.name} decompresses to more than ${options.maxLayerBytes} bytes; refusing it as a decompression bomb (raise maxLayerBytes if the image is genuine)`
      )
    }
    return tar.write(chunk)
  }
  const finish = (): LayerStats => {
    tar.end()
    return stats
  }

  const d = decompressor(kind, head)
  if (!d) {
    return {
      write: (chunk) => {
        try {
          const held = read(chunk)
          return held && held.catch((err: unknown) => Promise.reject(wrap(err)))
        } catch (err) {
          throw wrap(err)
        }
      },
      end: async () => {
        try {
          return finish()
        } catch (err) {
          throw wrap(err)
        }
      }
    }
  }
  return compressedLayer(d, read, finish, wrap)
}

/** The sink of a compressed layer: bytes go through the decompressor, with its backpressure. */
function compressedLayer(
  d: Transform,
  read: (chunk: Buffer) => void | Promise<void>,
  finish: () => LayerStats,
  wrap: (err: unknown) => Error
): LayerSink {
  let failure: Error | undefined
  const waiters = new Set<(err?: Error) => void>()
  const fail = (err: unknown): void => {
    if (failure) return
    failure = wrap(err)
    d.destroy()
    for (const w of waiters) w(failure)
    waiters.clear()
  }
  /** Resolves on `event` from the decompressor, rejects on the first failure. */
  const wait = (event: 'drain' | 'end'): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure)
      const settle = (err?: Error): void => {
        waiters.delete(settle)
        d.off(event, onEvent)
        if (err) reject(err)
        else resolve()
      }
      const onEvent = (): void => settle()
      waiters.add(settle)
      d.once(event, onEvent)
    })
  d.on('data', (chunk: Buffer) => {
    if (failure) return
    try {
      const held = read(chunk)
      if (held) {
        d.pause()
        held.then(() => d.resume(), fail)
      }
    } catch (err) {
      fail(err)
    }
  })
  d.on('error', fail)
  return {
    write(chunk) {
      if (failure) throw failure
      // Copied: the decompressor may queue it, and `chunk` is only lent.
      if (!d.write(Buffer.from(chunk))) return wait('drain')
    },
    async end() {
      if (failure) throw failure
      const ended = wait('end')
      d.end()
      await ended
      if (failure) throw failure
      try {
        return finish()
      } catch (err) {
        throw wrap(err)
      }
    }
  }
}
