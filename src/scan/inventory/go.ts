/**
 * Go binaries: the build information the Go linker embeds in every executable since Go 1.18 (the
 * `.go.buildinfo` section, which starts with the magic `\xff Go buildinf:`), found as the file streams past.
 * It gives the Go version (the `stdlib` package), the main module and every dependency module.
 */
import { purl, type RawPackage } from './types.js'
import type { Sink } from '../image/layer.js'

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
/** Bytes kept after the magic: the header and the version and module strings. */
const CAPTURE = 512 * 1024

function readUvarint(buf: Buffer, pos: number): [number, number] | undefined {
  let x = 0
  let s = 1
  for (let i = 0; i < 10 && pos + i < buf.length; i++) {
    const b = buf[pos + i]
    x += (b & 0x7f) * s
    if (b < 0x80) return [x, pos + i + 1]
    s *= 128
  }
  return undefined
}

export interface GoBuildInfo {
  goVersion: string
  path?: string
  main?: { path: string; version: string }
  deps: { path: string; version: string }[]
}

/** Parses the build info that starts at `buf[0]` (the magic). Only the Go 1.18+ inline-string format. */
export function parseBuildInfo(buf: Buffer): GoBuildInfo | undefined {
  if (buf.length < 32 || !buf.subarray(0, 14).equals(BUILDINFO_MAGIC)) return undefined
  // Go 1.18+ writes the version and module strings inline after the 32-byte header (flagsVersionInl).
  if ((buf[15] & 2) === 0) return undefined
  const v = readUvarint(buf, 32)
  if (!v || v[1] + v[0] > buf.length) return undefined
  const goVersion = buf.toString('utf8', v[1], v[1] + v[0])
  const m = readUvarint(buf, v[1] + v[0])
  if (!m || m[1] + m[0] > buf.length || !/^go1/.test(goVersion)) return undefined
  let raw = buf.subarray(m[1], m[1] + m[0])
  // The module info is framed by 16-byte binary sentinels: strip them as bytes, before decoding, since they
  // are not valid UTF-8.
  if (raw.length >= 33 && raw[raw.length - 17] === 0x0a) raw = raw.subarray(16, raw.length - 16)
  const mod = raw.toString('utf8')
  const info: GoBuildInfo = { goVersion, deps: [] }
  let last: { path: string; version: string } | undefined
  for (const line of mod.split('\n')) {
    const f = line.split('\t')
    if (f[0] === 'path' && f[1]) info.path = f[1]
    else if (f[0] === 'mod' && f[1]) info.main = last = { path: f[1], version: f[2] ?? '' }
    else if (f[0] === 'dep' && f[1]) {
      last = { path: f[1], version: f[2] ?? '' }
      info.deps.push(last)
    } else if (f[0] === '=>' && f[1] && last) {
      // A replacement: the code really comes from the replacing module.
      last.path = f[1]
      last.version = f[2] ?? last.version
    }
  }
  return info
}

export function goPackages(info: GoBuildInfo, path: string): RawPackage[] {
  const out: RawPackage[] = []
  const add = (name: string, version: string): void => {
    if (!version || version === '(devel)') return
    out.push({ type: 'golang', name, version, ecosystem: 'Go', purl: goPurl(name, version), path })
  }
  const std = /^go(\d+\.\d+(?:\.\d+)?)/.exec(info.goVersion)
  if (std) add('stdlib', std[1])
  if (info.main) add(info.main.path, info.main.version)
  for (const d of info.deps) add(d.path, d.version)
  return out
}

function goPurl(name: string, version: string): string {
  const i = name.lastIndexOf('/')
  return i < 0
    ? purl('golang', undefined, name, version)
    : purl('golang', name.slice(0, i), name.slice(i + 1), version)
}

/**
 * A sink for an ELF file's bytes that looks for the build info magic across chunk boundaries, keeps only what
 * follows it (bounded) and reports the packages at the end.
 */
export class GoBuildInfoSink implements Sink {
  private tail = Buffer.alloc(0)
  private captured: Buffer[] | undefined
  private capturedLen = 0
  private checkedElf = false
  private done = false

  constructor(
    private readonly path: string,
    private readonly onPackages: (pkgs: RawPackage[]) => void
  ) {}

  write(chunk: Buffer): void {
    if (this.done) return
    if (!this.checkedElf) {
      // Joined only when the ELF magic is split across chunks: a first chunk is read in place.
      const head = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk
      if (head.length < 4) {
        this.tail = Buffer.from(head)
        return
      }
      this.checkedElf = true
      this.tail = Buffer.alloc(0)
      if (head.readUInt32BE(0) !== 0x7f454c46) {
        this.done = true
        return
      }
      chunk = head
    }
    if (this.captured) {
      this.captured.push(Buffer.from(chunk))
      this.capturedLen += chunk.length
      if (this.capturedLen >= CAPTURE) this.finish()
      return
    }
    // Only the few bytes around the chunk boundary are copied; the chunk itself is searched in place.
    const edge = this.tail.length > 0 ? Buffer.concat([this.tail, chunk.subarray(0, 64)]) : undefined
    let found: { buf: Buffer; at: number } | undefined
    if (edge) {
      const at = this.search(edge)
      if (at >= 0 && at < this.tail.length) found = { buf: Buffer.concat([this.tail, chunk]), at }
    }
    if (!found) {
      const at = this.search(chunk)
      if (at >= 0) found = { buf: chunk, at }
    }
    if (found) {
      this.captured = [Buffer.from(found.buf.subarray(found.at))]
      this.capturedLen = found.buf.length - found.at
      this.tail = Buffer.alloc(0)
      if (this.capturedLen >= CAPTURE) this.finish()
      return
    }
    this.tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 15)))
  }

  /** The offset of a plausible build info header in `buf`, or -1. */
  private search(buf: Buffer): number {
    let at = buf.indexOf(BUILDINFO_MAGIC)
    while (at >= 0 && at + 16 <= buf.length) {
      // A real header has a pointer size of 4 or 8 or the inline-strings flag after the magic; the magic
      // string alone (for instance in a binary that links debug/buildinfo) usually has neither.
      if (buf[at + 14] === 4 || buf[at + 14] === 8 || (buf[at + 15] & 2) !== 0) return at
      at = buf.indexOf(BUILDINFO_MAGIC, at + 1)
    }
    return at
  }

  end(): void {
    if (!this.done) this.finish()
  }

  private finish(): void {
    this.done = true
    if (!this.captured) return
    const buf = Buffer.concat(this.captured)
    this.captured = undefined
    const info = parseBuildInfo(buf)
    if (info) this.onPackages(goPackages(info, this.path))
  }
}
