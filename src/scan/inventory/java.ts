/**
 * Java: `META-INF/maven/<group>/<artifact>/pom.properties` inside jars, wars and ears, and inside the archives
 * nested in them at any depth (Spring Boot `BOOT-INF/lib/`, `WEB-INF/lib/`, an ear's modules), read as the
 * archive streams past: local file headers one after the other, never the whole archive in memory, so an
 * archive of any size is read with memory bounded by a few buffers per nesting level.
 *
 * The reader is hand-written because the streaming zip readers on npm either buffer whole archives (yauzl
 * needs random access; the central directory sits at the end) or find the end of an entry written with a data
 * descriptor by looking for the next header signature in the data (fflate's Unzip), which stored nested jars
 * contain. Here the end of such an entry is a data descriptor whose compressed size equals the bytes read
 * since the entry began, which no chance match meets. Deflated nested archives are inflated as they stream
 * with fflate's Inflate. What cannot be read (encrypted entries, unknown compression, a truncated archive,
 * nesting deeper than MAX_DEPTH) is reported as skipped, never dropped silently.
 */
import { inflateRawSync } from 'node:zlib'
import { Inflate } from 'fflate'
import { purl, type ByteSink, type RawPackage, type StreamAnalyzer, type StreamResult } from './types.js'

const POM = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/
const NESTED = /\.(?:jar|war|ear)$/i
const MAX_POM = 1024 * 1024
/** Archives nested deeper than this are reported, not read (a guard against zip quines). */
export const MAX_DEPTH = 16
/** How far into a file the first local header may start (Spring Boot's executable jars prepend a script). */
const MAX_PREAMBLE = 1024 * 1024

const LOCAL = 0x04034b50
const CENTRAL = 0x02014b50
const END = 0x06054b50
const END64 = 0x06064b50
const DESCRIPTOR = 0x08074b50

function parseProperties(text: string): Map<string, string> {
  const m = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim()
    if (!t || t.startsWith('#') || t.startsWith('!')) continue
    const i = t.search(/[=:]/)
    if (i > 0) m.set(t.slice(0, i).trim(), t.slice(i + 1).trim())
  }
  return m
}

function pomPackage(data: Buffer, path: string): RawPackage | undefined {
  const props = parseProperties(data.toString('utf8'))
  const g = props.get('groupId')
  const a = props.get('artifactId')
  const v = props.get('version')
  if (!g || !a || !v) return undefined
  return {
    type: 'maven',
    name: `${g}:${a}`,
    version: v,
    ecosystem: 'Maven',
    purl: purl('maven', g, a, v),
    path
  }
}

interface Entry {
  name: string
  method: number
  flags: number
  /** Compressed size, or -1 when a data descriptor after the data gives it. */
  compSize: number
  zip64: boolean
  sink: ByteSink | undefined
}

/** Collects a small entry (pom.properties) and parses it at its end. */
class PomSink implements ByteSink {
  private chunks: Buffer[] = []
  private len = 0
  constructor(
    private readonly method: number,
    private readonly onData: (data: Buffer | undefined) => void
  ) {}
  write(chunk: Buffer): void {
    this.len += chunk.length
    if (this.len <= MAX_POM) this.chunks.push(Buffer.from(chunk))
  }
  end(): void {
    if (this.len > MAX_POM) return this.onData(undefined)
    const raw = Buffer.concat(this.chunks, this.len)
    try {
      this.onData(this.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: MAX_POM }))
    } catch {
      this.onData(undefined)
    }
  }
}

/** Inflates a deflated entry as it streams into another sink. */
class InflateSink implements ByteSink {
  private readonly inflate: Inflate
  private failed = false
  constructor(
    private readonly next: ByteSink,
    private readonly onError: (message: string) => void
  ) {
    this.inflate = new Inflate((data) => {
      if (data.length > 0) next.write(Buffer.from(data.buffer, data.byteOffset, data.length))
    })
  }
  write(chunk: Buffer): void {
    if (this.failed) return
    try {
      this.inflate.push(chunk, false)
    } catch (err) {
      this.failed = true
      this.onError(`the deflated data is corrupt (${(err as Error).message})`)
    }
  }
  end(): void {
    if (!this.failed) {
      try {
        this.inflate.push(new Uint8Array(0), true)
      } catch (err) {
        this.failed = true
        this.onError(`the deflated data is corrupt (${(err as Error).message})`)
      }
    }
    this.next.end()
  }
}

/** Reads one zip archive as it streams: each local entry in turn, pom.properties parsed, nested archives recursed. */
export class ZipStream implements ByteSink {
  private buf: Buffer = Buffer.alloc(0)
  private entry: Entry | undefined
  /** Bytes of the current entry's data seen so far. */
  private seen = 0
  /** Bytes before the first local header, and whether one was found. */
  private skippedPreamble = 0
  private started = false
  private done = false
  private failed: string | undefined

  constructor(
    private readonly path: string,
    private readonly depth: number,
    private readonly out: StreamResult
  ) {}

  write(chunk: Buffer): void {
    if (this.done) return
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    try {
      this.pump()
    } catch (err) {
      this.entry = undefined
      this.fail(`it is corrupt (${(err as Error).message})`)
    }
    // What is left for the next write is kept: copied, as `chunk` is only lent.
    if (this.buf.length > 0) this.buf = Buffer.from(this.buf)
  }

  end(): void {
    if (!this.done) {
      if (this.entry) {
        this.entry.sink?.end()
        this.fail(`it ends inside the entry ${this.entry.name} (truncated)`)
      } else if (this.started) {
        this.fail('it ends before its central directory (truncated)')
      } else if (this.skippedPreamble + this.buf.length > 0) {
        // An empty file is no archive at all and hides nothing; anything else that is not a zip is reported.
        this.fail('it is not a zip archive')
      }
    }
    this.done = true
    this.buf = Buffer.alloc(0)
  }

  private fail(reason: string): void {
    if (this.failed) return
    this.failed = reason
    this.done = true
    this.out.skipped.push({ path: this.path, reason: `not fully read: ${reason}` })
  }

  private pump(): void {
    while (!this.done) {
      if (this.entry) {
        if (!this.data()) return
      } else if (!this.header()) return
    }
  }

  /** Parses the next record at the start of the buffer; false when more bytes are needed. */
  private header(): boolean {
    const b = this.buf
    if (b.length < 4) return false
    const sig = b.readUInt32LE(0)
    if (sig === LOCAL) return this.local()
    if (sig === CENTRAL || sig === END || sig === END64) {
      this.done = true
      this.buf = Buffer.alloc(0)
      return false
    }
    if (sig === DESCRIPTOR) {
      // The descriptor of an entry whose sizes were also in its local header.
      if (b.length < 28) return false
      const next = (n: number): boolean => [LOCAL, CENTRAL, END].includes(b.readUInt32LE(n))
      this.buf = b.subarray(!next(16) && next(24) ? 24 : 16)
      return true
    }
    if (this.started) {
      // A descriptor without its optional signature: crc and sizes, 12 bytes (20 for ZIP64).
      for (const n of [12, 20]) {
        if (b.length < n + 4) return false
        const next = b.readUInt32LE(n)
        if (next === LOCAL || next === CENTRAL) {
          this.buf = b.subarray(n)
          return true
        }
      }
      this.fail('an unknown record follows an entry')
      return false
    }
    // Not yet started: a script or other data before the archive.
    const at = b.indexOf('PK\x03\x04', 0, 'latin1')
    if (at < 0) {
      this.skippedPreamble += b.length - 3
      this.buf = b.subarray(b.length - 3)
      if (this.skippedPreamble > MAX_PREAMBLE)
        this.fail(`it is not a zip archive (none in its first ${MAX_PREAMBLE} bytes)`)
      return false
    }
    this.skippedPreamble += at
    if (this.skippedPreamble > MAX_PREAMBLE) {
      this.fail(`it is not a zip archive (none in its first ${MAX_PREAMBLE} bytes)`)
      return false
    }
    this.buf = b.subarray(at)
    return true
  }

  private local(): boolean {
    const b = this.buf
    if (b.length < 30) return false
    const nameLen = b.readUInt16LE(26)
    const extraLen = b.readUInt16LE(28)
    if (b.length < 30 + nameLen + extraLen) return false
    this.started = true
    const flags = b.readUInt16LE(6)
    const method = b.readUInt16LE(8)
    let compSize = b.readUInt32LE(18)
    const name = b.toString(flags & 0x800 ? 'utf8' : 'latin1', 30, 30 + nameLen)
    let zip64 = false
    if (compSize === 0xffffffff || b.readUInt32LE(22) === 0xffffffff) {
      // The ZIP64 extra field: the original size, then the compressed size, for those that overflowed.
      const extra = b.subarray(30 + nameLen, 30 + nameLen + extraLen)
      for (let p = 0; p + 4 <= extra.length;) {
        const id = extra.readUInt16LE(p)
        const len = extra.readUInt16LE(p + 2)
        if (id === 1) {
          zip64 = true
          let q = p + 4
          if (b.readUInt32LE(22) === 0xffffffff) q += 8
          if (compSize === 0xffffffff && q + 8 <= p + 4 + len) compSize = Number(extra.readBigUInt64LE(q))
        }
        p += 4 + len
      }
    }
    const descriptor = (flags & 8) !== 0 && compSize === 0
    this.buf = b.subarray(30 + nameLen + extraLen)
    this.seen = 0
    this.entry = {
      name,
      method,
      flags,
      compSize: descriptor ? -1 : compSize,
      zip64,
      sink: this.sinkFor(name, method, flags)
    }
    return true
  }

  private sinkFor(name: string, method: number, flags: number): ByteSink | undefined {
    const pom = POM.test(name)
    const nested = NESTED.test(name)
    if (!pom && !nested) return undefined
    const inner = `${this.path}!/${name}`
    if (flags & 1) {
      this.out.skipped.push({ path: inner, reason: 'the entry is encrypted' })
      return undefined
    }
    if (method !== 0 && method !== 8) {
      this.out.skipped.push({
        path: inner,
        reason: `the entry uses compression method ${method}, which is not read`
      })
      return undefined
    }
    if (pom) {
      return new PomSink(method, (data) => {
        const pkg = data && pomPackage(data, this.path)
        if (pkg) this.out.packages.push(pkg)
      })
    }
    if (this.depth >= MAX_DEPTH) {
      this.out.skipped.push({ path: inner, reason: `nested more than ${MAX_DEPTH} archives deep; not read` })
      return undefined
    }
    const child = new ZipStream(inner, this.depth + 1, this.out)
    return method === 0
      ? child
      : new InflateSink(child, (message) => this.out.skipped.push({ path: inner, reason: message }))
  }

  /** Passes the current entry's data on; false when more bytes are needed. */
  private data(): boolean {
    const e = this.entry!
    if (e.compSize >= 0) {
      const take = Math.min(e.compSize - this.seen, this.buf.length)
      if (take > 0) e.sink?.write(this.buf.subarray(0, take))
      this.seen += take
      this.buf = this.buf.subarray(take)
      if (this.seen < e.compSize) return false
      return this.finishEntry()
    }
    // Sizes come after the data: find the descriptor whose compressed size is the data's length.
    const fields = e.zip64 ? 20 : 12
    let from = 0
    for (;;) {
      const at = this.buf.indexOf('PK', from, 'latin1')
      if (at < 0 || at + 4 + fields > this.buf.length) break
      const sig = this.buf.readUInt32LE(at)
      const size = (p: number): number =>
        e.zip64 ? Number(this.buf.readBigUInt64LE(p)) : this.buf.readUInt32LE(p)
      if (sig === DESCRIPTOR && size(at + 8) === this.seen + at) {
        e.sink?.write(this.buf.subarray(0, at))
        this.buf = this.buf.subarray(at + 4 + fields)
        return this.finishEntry()
      }
      if (
        (sig === LOCAL || sig === CENTRAL) &&
        at >= fields &&
        size(at - fields + 4) === this.seen + at - fields
      ) {
        e.sink?.write(this.buf.subarray(0, at - fields))
        this.buf = this.buf.subarray(at)
        return this.finishEntry()
      }
      from = at + 1
    }
    // Keep enough bytes to recognise a descriptor that straddles the next chunk.
    const keep = Math.min(this.buf.length, 4 + fields + 4 + fields)
    const pass = this.buf.length - keep
    if (pass > 0) {
      e.sink?.write(this.buf.subarray(0, pass))
      this.seen += pass
      this.buf = this.buf.subarray(pass)
    }
    return false
  }

  private finishEntry(): boolean {
    this.entry!.sink?.end()
    this.entry = undefined
    return true
  }
}

/** The Maven artifacts of a Java archive held in memory (the streaming reader over one buffer). */
export function parseJar(buf: Buffer, path: string): RawPackage[] {
  return readJar(buf, path).packages
}

export function readJar(buf: Buffer, path: string): StreamResult {
  const out: StreamResult = { packages: [], skipped: [] }
  const z = new ZipStream(path, 0, out)
  z.write(buf)
  z.end()
  return out
}

export const javaAnalyzer: StreamAnalyzer = {
  id: 'java',
  match: (path) => /\.(?:jar|war|ear)$/i.test(path),
  open: (path, _size, done) => {
    const out: StreamResult = { packages: [], skipped: [] }
    const z = new ZipStream(path, 0, out)
    return {
      write: (c) => z.write(c),
      end: () => {
        z.end()
        done(out)
      }
    }
  }
}
