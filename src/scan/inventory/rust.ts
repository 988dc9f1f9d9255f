/**
 * Rust binaries built with cargo-auditable: the `.dep-v0` ELF section holds the crate graph as zlib-compressed
 * JSON (`{"packages":[{"name","version","source","kind","dependencies","root"}]}`). The section table sits at
 * the end of an ELF file, so the last TAIL bytes of each executable are kept as it streams (the first 64 bytes
 * too, for the ELF header); the section is read from them at the file's end. A `.dep-v0` section that lies
 * before that window is reported as skipped. Crates from crates.io are listed (ecosystem `crates.io`); the
 * binary's own crate and path or git dependencies are not published crates and have no advisories.
 */
import { inflateSync } from 'node:zlib'
import { purl, type ByteSink, type RawPackage, type StreamAnalyzer, type StreamResult } from './types.js'

/** The bytes kept from the end of each executable. */
export const TAIL = 16 * 1024 * 1024
const MAX_JSON = 32 * 1024 * 1024

interface Section {
  name: number
  offset: number
  size: number
}

/** The bytes at `offset` of the file, when they were kept. */
export type ReadAt = (offset: number, size: number) => Buffer | undefined

/** Reads the section table of an ELF file from its head and the bytes kept from its end. */
function readSections(
  head: Buffer,
  read: ReadAt
): { sections: Section[]; at: (s: Section) => Buffer | undefined } | undefined {
  if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46) return undefined
  const is64 = head[4] === 2
  const le = head[5] === 1
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o))
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o))
  const u64 = (b: Buffer, o: number): number => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o))
  const shoff = is64 ? u64(head, 40) : u32(head, 32)
  const shentsize = u16(head, is64 ? 58 : 46)
  const shnum = u16(head, is64 ? 60 : 48)
  const table = read(shoff, shnum * shentsize)
  if (!table || shnum === 0) return undefined
  const sections: Section[] = []
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize
    sections.push(
      is64
        ? { name: u32(table, o), offset: u64(table, o + 24), size: u64(table, o + 32) }
        : { name: u32(table, o), offset: u32(table, o + 16), size: u32(table, o + 20) }
    )
  }
  return { sections, at: (s) => read(s.offset, s.size) }
}

/** The crates recorded by cargo-auditable in the compressed `.dep-v0` data. */
export function parseAuditableData(compressed: Buffer, path: string): RawPackage[] {
  const json = JSON.parse(inflateSync(compressed, { maxOutputLength: MAX_JSON }).toString('utf8')) as {
    packages?: { name?: unknown; version?: unknown; source?: unknown; root?: unknown }[]
  }
  if (!Array.isArray(json.packages)) throw new Error('the .dep-v0 data has no "packages" array')
  const out: RawPackage[] = []
  for (const p of json.packages) {
    if (typeof p.name !== 'string' || typeof p.version !== 'string' || p.source !== 'crates.io' || p.root)
      continue
    out.push({
      type: 'cargo',
      name: p.name,
      version: p.version,
      ecosystem: 'crates.io',
      purl: purl('cargo', undefined, p.name, p.version),
      path
    })
  }
  return out
}

/** Finds `.dep-v0` in an ELF file given its head and tail. */
export function auditableFromElf(head: Buffer, read: ReadAt, path: string): StreamResult {
  const out: StreamResult = { packages: [], skipped: [] }
  const elf = readSections(head, read)
  if (!elf) return out
  const is64 = head[4] === 2
  const le = head[5] === 1
  const strndx = le ? head.readUInt16LE(is64 ? 62 : 50) : head.readUInt16BE(is64 ? 62 : 50)
  const names = elf.sections[strndx] ? elf.at(elf.sections[strndx]) : undefined
  if (!names) return out
  for (const s of elf.sections) {
    const end = names.indexOf(0, s.name)
    if (names.toString('latin1', s.name, end < 0 ? names.length : end) !== '.dep-v0') continue
    const data = elf.at(s)
    if (!data) {
      out.skipped.push({
        path,
        reason: `its cargo-auditable section lies before the last ${TAIL} bytes; not read`
      })
      return out
    }
    try {
      out.packages.push(...parseAuditableData(data, path))
    } catch (err) {
      out.skipped.push({
        path,
        reason: `its cargo-auditable section is unreadable: ${(err as Error).message}`
      })
    }
    return out
  }
  return out
}

/**
 * The buffer the tails are copied into. Files stream one after the other, so one buffer serves them all, and
 * its memory is written once rather than for every executable (fresh memory costs a page fault per 4 KiB);
 * a sink that finds it taken (one never ended) gets a buffer of its own.
 */
let shared: Buffer | undefined
let sharedTaken = false

function tailBuffer(size: number): { buf: Buffer; shared: boolean } {
  if (sharedTaken) return { buf: Buffer.allocUnsafe(size), shared: false }
  if (!shared || shared.length < size)
    shared = Buffer.allocUnsafe(Math.min(TAIL, Math.max(size, 1024 * 1024)))
  sharedTaken = true
  return { buf: shared.subarray(0, size), shared: true }
}

/**
 * Keeps the head and the last TAIL bytes of an executable as it streams: the tail is copied (the chunks are
 * only lent) into a buffer of its size, the file's size being known from its header.
 */
class ElfTailSink implements ByteSink {
  private head = Buffer.alloc(0)
  private tail: Buffer | undefined
  private sharedTail = false
  /** The file offset of the first byte kept. */
  private readonly from: number
  private pos = 0
  private elf: boolean | undefined

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly done: (r: StreamResult) => void
  ) {
    this.from = Math.max(0, size - TAIL)
  }

  write(chunk: Buffer): void {
    if (this.elf === false) return
    if (this.head.length < 64) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, 64 - this.head.length)])
      if (this.head.length >= 4) this.elf = this.head.readUInt32BE(0) === 0x7f454c46
      if (this.elf === false) return
    }
    const end = this.pos + chunk.length
    if (end > this.from && this.pos < this.size) {
      if (!this.tail) {
        const t = tailBuffer(this.size - this.from)
        this.tail = t.buf
        this.sharedTail = t.shared
      }
      const skip = Math.max(0, this.from - this.pos)
      chunk.copy(this.tail, this.pos + skip - this.from, skip, Math.min(chunk.length, this.size - this.pos))
    }
    this.pos = end
  }

  private read(offset: number, size: number): Buffer | undefined {
    if (!this.tail || offset < this.from || offset + size > Math.min(this.pos, this.size)) return undefined
    return this.tail.subarray(offset - this.from, offset - this.from + size)
  }

  end(): void {
    let result: StreamResult = { packages: [], skipped: [] }
    try {
      if (this.elf) result = auditableFromElf(this.head, (o, n) => this.read(o, n), this.path)
    } catch {
      // A malformed section table: not a binary cargo-auditable wrote.
    }
    this.tail = undefined
    if (this.sharedTail) sharedTaken = false
    this.sharedTail = false
    this.done(result)
  }
}

export const rustAnalyzer: StreamAnalyzer = {
  id: 'rust',
  match: (_path, mode, size) => (mode & 0o111) !== 0 && size >= 1024,
  open: (path, size, done) => new ElfTailSink(path, size, done)
}
