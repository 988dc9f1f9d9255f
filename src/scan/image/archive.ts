/**
 * Reads a `docker save` archive (what `GET /images/{name}/get` streams) in one pass: the legacy layout
 * (`manifest.json`, `<id>/layer.tar`, `<id>.json`) and the OCI layout (`index.json`, `blobs/sha256/…`) that
 * Docker 25+ and the containerd image store write. Layers may come before the manifest and config that order
 * them, so each layer is walked as it arrives and its record is kept by its path; the order is resolved at the
 * end. Small JSON documents (manifests, configs) are the only content kept whole. The archive's tar and each
 * layer's are read by tar.ts, synchronously as the bytes arrive; a stream that lends its bytes in place (the
 * engine's export) is read without copying them.
 */
import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { detectCompression } from './decompress.js'
import { openLayer, type LayerSink } from './layer.js'
import { TarReader, type TarHeader, type TarSink } from './tar.js'
import { normalizeEntryPath, resolveLink } from './paths.js'
import { emptyRecord, layerVisitor, type Budget, type LayerRecord } from './record.js'
import type { FileAnalyzer } from '../inventory/types.js'
import type { HistoryEntry } from '../attribution.js'
import { redactHistory } from './history.js'
import type { ImageConfig } from '../types.js'

const MAX_JSON = 16 * 1024 * 1024
/**
 * Bytes read from the engine ahead of the parser. The engine writes the export as fast as it is read; while a
 * layer's end or a large file is handled, it keeps writing into this buffer instead of waiting.
 */
const READ_AHEAD = 4 * 1024 * 1024

export interface ReadOptions {
  analyzers: FileAnalyzer[]
  budget: Budget
  maxLayerBytes: number
  /** The build arguments the image was built with: their values are redacted from the history. */
  buildArgs?: Record<string, string>
}

export interface ImageArchive {
  /** Layer records in image order (lowest first), with their diff IDs. */
  layers: { digest: string; record: LayerRecord }[]
  config: ImageConfig
  history: HistoryEntry[]
  /** `sha256:…` of the config blob when the archive names it. */
  configDigest?: string
  repoTags: string[]
  layout: 'docker' | 'oci'
}

interface ImageConfigJson {
  config?: ImageConfig
  container_config?: ImageConfig
  history?: HistoryEntry[]
  rootfs?: { type?: string; diff_ids?: string[] }
}

interface Descriptor {
  mediaType?: string
  digest?: string
}

function isJsonName(path: string): boolean {
  return (
    path === 'manifest.json' ||
    path === 'index.json' ||
    path === 'repositories' ||
    path === 'oci-layout' ||
    path.endsWith('.json') ||
    path.endsWith('/json')
  )
}

function parseJson<T>(buf: Buffer | undefined, what: string): T {
  if (!buf) throw new Error(`the image archive has no ${what}`)
  try {
    return JSON.parse(buf.toString('utf8')) as T
  } catch (err) {
    throw new Error(`the image archive's ${what} is not valid JSON: ${(err as Error).message}`, {
      cause: err
    })
  }
}

function blobPath(digest: string | undefined): string {
  const m = /^([a-z0-9]+):([a-f0-9]{32,128})$/.exec(digest ?? '')
  if (!m) throw new Error(`the image archive names an invalid digest: ${JSON.stringify(digest)}`)
  return `blobs/${m[1]}/${m[2]}`
}

/** Collects an entry of at most `max` bytes whole. */
class Collector implements TarSink {
  private chunks: Buffer[] = []
  private len = 0
  constructor(
    private readonly max: number,
    private readonly name: string,
    private readonly done: (data: Buffer) => void
  ) {}
  write(chunk: Buffer): void {
    this.len += chunk.length
    if (this.len > this.max)
      throw new Error(`${this.name} in the image archive is larger than ${this.max} bytes`)
    // Copied: the chunk is a view of the engine's stream.
    this.chunks.push(Buffer.from(chunk))
  }
  end(): void {
    this.done(Buffer.concat(this.chunks, this.len))
  }
}

/** Reads the archive stream to its end and returns the image's layers in order with its config. */
export async function readImageArchive(
  stream: NodeJS.ReadableStream,
  options: ReadOptions
): Promise<ImageArchive> {
  const json = new Map<string, Buffer>()
  const records = new Map<string, LayerRecord>()
  // `docker save` writes a layer that appears twice once, and a symlink to it in the other place.
  const links = new Map<string, string>()
  let failure: Error | undefined
  /** An entry's own error (a layer's), kept apart from errors of the archive's tar. */
  const own = (err: unknown): never => {
    failure ??= err as Error
    throw err
  }

  /**
   * A file entry that is neither a known JSON document nor small: its first 512 bytes tell a layer (a tar,
   * gzip or zstd), an empty layer, a JSON document without a JSON name, or something to skip.
   */
  const sniff = (path: string, size: number): TarSink => {
    let head: Buffer[] = []
    let headLen = 0
    let target: TarSink | undefined
    let layer: { sink: LayerSink; record: LayerRecord } | undefined
    const decide = (): void | Promise<void> => {
      const bytes = Buffer.concat(head, headLen)
      head = []
      const first = bytes.subarray(0, 512)
      if (detectCompression(first)) {
        const record = emptyRecord()
        const visitor = layerVisitor(record, options.analyzers, options.budget)
        const sink = openLayer(first, visitor, {
          maxLayerBytes: options.maxLayerBytes,
          name: `the layer ${path}`
        })
        layer = { sink, record }
        target = { write: (chunk) => sink.write(chunk), end: () => undefined }
      } else if (first.length > 0 && first.every((b) => b === 0)) {
        // An empty tar (only end-of-archive blocks), as BuildKit writes for a layer that changed nothing.
        records.set(path, emptyRecord())
        target = { write: () => undefined, end: () => undefined }
      } else if (first[0] === 0x7b && size <= MAX_JSON) {
        target = new Collector(MAX_JSON, path, (data) => json.set(path, data))
      } else {
        target = { write: () => undefined, end: () => undefined }
      }
      if (bytes.length > 0) return forward(bytes)
    }
    const forward = (chunk: Buffer): void | Promise<void> => {
      let held: void | Promise<void> = undefined
      try {
        held = (target as TarSink).write(chunk)
      } catch (err) {
        own(err)
      }
      return held && held.catch(own)
    }
    return {
      write(chunk: Buffer): void | Promise<void> {
        if (target) return forward(chunk)
        // Copied: held until the first 512 bytes are in.
        head.push(Buffer.from(chunk))
        headLen += chunk.length
        if (headLen >= 512) return decide()
      },
      async end(): Promise<void> {
        if (!target) await decide()
        try {
          if (layer) {
            const { record, sink } = layer
            record.stats = await sink.end()
            for (const r of record.stats.rejected) {
              options.budget.warnings.add(
                `the layer ${path} has an entry outside the image root (${r}); it was ignored`
              )
            }
            records.set(path, record)
          } else await (target as TarSink).end()
        } catch (err) {
          own(err)
        }
      }
    }
  }

  const entry = (header: TarHeader): TarSink | undefined => {
    const path = normalizeEntryPath(header.name)
    if (path && (header.type === 'symlink' || header.type === 'link') && header.linkname) {
      const target =
        header.type === 'symlink' ? resolveLink(path, header.linkname) : normalizeEntryPath(header.linkname)
      if (target) links.set(path, target)
    }
    if (!path || (header.type !== 'file' && header.type !== 'contiguous-file')) return undefined
    if (isJsonName(path) && header.size <= MAX_JSON)
      return new Collector(MAX_JSON, path, (data) => json.set(path, data))
    return sniff(path, header.size)
  }

  const reader = new TarReader(entry)
  if (isViewReader(stream)) {
    // The engine's export read in place: no copy of the archive's bytes is made on the way in.
    try {
      await stream.readViews((view) => reader.write(view))
      reader.end()
    } catch (err) {
      throw (
        failure ?? new Error(`the image archive could not be read: ${(err as Error).message}`, { cause: err })
      )
    }
    return finishArchive(json, records, links, failure, options.buildArgs)
  }
  const ahead = new PassThrough({ writableHighWaterMark: READ_AHEAD, readableHighWaterMark: 1024 * 1024 })
  const feeding = pipeline(stream, ahead)
  try {
    await new Promise<void>((resolvePromise, reject) => {
      // Chunks are read in order; one that arrives while the reader waits (on a layer's end, a decompressor)
      // is queued, and the end of the stream waits for the reader too.
      const queue: Buffer[] = []
      let busy = false
      let ended = false
      let done = false
      const stop = (err: unknown): void => {
        if (done) return
        done = true
        ahead.pause()
        reject(err as Error)
      }
      const pump = (): void => {
        while (!busy && !done && queue.length > 0) {
          let held: void | Promise<void>
          try {
            held = reader.write(queue.shift() as Buffer)
          } catch (err) {
            return stop(err)
          }
          if (held) {
            busy = true
            held.then(() => {
              busy = false
              pump()
            }, stop)
          }
        }
        if (busy || done) return
        if (!ended) return void ahead.resume()
        try {
          reader.end()
          done = true
          resolvePromise()
        } catch (err) {
          stop(err)
        }
      }
      ahead.on('data', (chunk: Buffer) => {
        queue.push(chunk)
        if (busy) ahead.pause()
        else pump()
      })
      ahead.on('end', () => {
        ended = true
        pump()
      })
      ahead.on('error', stop)
    })
    await feeding
  } catch (err) {
    ahead.destroy()
    await feeding.catch(() => undefined)
    throw (
      failure ?? new Error(`the image archive could not be read: ${(err as Error).message}`, { cause: err })
    )
  }
  return finishArchive(json, records, links, failure, options.buildArgs)
}

/** A stream whose bytes can be read in place (the engine's export, see src/docker/stream-get.ts). */
interface ViewReader {
  readViews(onChunk: (view: Buffer) => void | Promise<void>): Promise<void>
}

function isViewReader(s: NodeJS.ReadableStream): s is NodeJS.ReadableStream & ViewReader {
  return typeof (s as Partial<ViewReader>).readViews === 'function'
}

function finishArchive(
  json: Map<string, Buffer>,
  records: Map<string, LayerRecord>,
  links: Map<string, string>,
  failure: Error | undefined,
  buildArgs: Record<string, string> | undefined
): ImageArchive {
  if (failure) throw failure
  const follow = (p: string): string => {
    for (let hops = 0; hops < 8 && !records.has(p) && !json.has(p) && links.has(p); hops++) p = links.get(p)!
    return p
  }
  return resolve(json, records, follow, buildArgs)
}

function resolve(
  json: Map<string, Buffer>,
  records: Map<string, LayerRecord>,
  follow: (path: string) => string,
  buildArgs: Record<string, string> = {}
): ImageArchive {
  let configPath: string
  let layerPaths: string[]
  let repoTags: string[] = []
  let layout: 'docker' | 'oci'
  let configDigest: string | undefined
  if (json.has('manifest.json')) {
    const manifest = parseJson<{ Config?: string; Layers?: string[]; RepoTags?: string[] | null }[]>(
      json.get('manifest.json'),
      'manifest.json'
    )
    const first = Array.isArray(manifest) ? manifest[0] : undefined
    if (!first?.Config || !Array.isArray(first.Layers)) {
      throw new Error('the image archive has a manifest.json without an image (Config and Layers)')
    }
    configPath = follow(normalizeEntryPath(first.Config) ?? first.Config)
    layerPaths = first.Layers.map((l) => follow(normalizeEntryPath(l) ?? l))
    repoTags = first.RepoTags ?? []
    layout = json.has('index.json') ? 'oci' : 'docker'
    const m =
      /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(configPath) ?? /^([a-f0-9]{64})\.json$/.exec(configPath)
    if (m) configDigest = m.length === 3 ? `${m[1]}:${m[2]}` : `sha256:${m[1]}`
  } else if (json.has('index.json')) {
    layout = 'oci'
    let desc: Descriptor | undefined = parseJson<{ manifests?: Descriptor[] }>(
      json.get('index.json'),
      'index.json'
    ).manifests?.[0]
    let manifest: { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] } | undefined
    for (let depth = 0; depth < 4 && desc; depth++) {
      manifest = parseJson(json.get(blobPath(desc.digest)), `blob ${desc.digest}`)
      if (!manifest?.manifests) break
      // A multi-platform index: the platform whose manifest the archive holds, never an attestation.
      const usable = manifest.manifests.filter(
        (d) => json.has(blobPath(d.digest)) && !/attestation/.test(JSON.stringify(d))
      )
      desc = usable[0] ?? manifest.manifests[0]
    }
    if (!manifest?.config || !Array.isArray(manifest.layers)) {
      throw new Error('the image archive has an index.json that leads to no image manifest')
    }
    configDigest = manifest.config.digest
    configPath = blobPath(manifest.config.digest)
    layerPaths = manifest.layers.map((l) => blobPath(l.digest))
  } else {
    throw new Error('the stream is not a docker save archive: it has neither manifest.json nor index.json')
  }
  const config = parseJson<ImageConfigJson>(json.get(configPath), `image config ${configPath}`)
  const diffIds = config.rootfs?.diff_ids ?? []
  const layers = layerPaths.map((p, i) => {
    const record = records.get(p)
    if (!record) throw new Error(`the image archive lists the layer ${p} but does not contain it`)
    const digest =
      diffIds[i] ?? (/^blobs\/(\w+)\/([a-f0-9]+)$/.exec(p) ? p.replace(/^blobs\/(\w+)\//, '$1:') : p)
    return { digest, record }
  })
  const out: ImageArchive = {
    layers,
    config: config.config ?? config.container_config ?? {},
    // The one place the history is read: build-argument values never get past it.
    history: redactHistory(config.history ?? [], buildArgs),
    repoTags,
    layout
  }
  if (configDigest) out.configDigest = configDigest
  return out
}
