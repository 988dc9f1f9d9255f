/**
 * rpm: the SQLite rpm database of current RHEL, Fedora, Rocky Linux and AlmaLinux (`rpmdb.sqlite`), whose
 * `Packages` table holds one rpm header blob per installed package. The BerkeleyDB (`Packages`) and NDB
 * formats of older releases are not read.
 */
import { SqliteReader } from './sqlite.js'
import type { FileAnalyzer, RawPackage } from './types.js'

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, arch: 1022, sourceRpm: 1044 }
const STRING = 6
const INT32 = 4
const I18NSTRING = 9

/** Reads the tags a package needs from an rpm header blob (index count, data length, index, data). */
export function parseRpmHeader(blob: Buffer): Map<number, string | number> {
  const tags = new Map<number, string | number>()
  if (blob.length < 8) return tags
  const il = blob.readUInt32BE(0)
  const dl = blob.readUInt32BE(4)
  const dataStart = 8 + il * 16
  if (il > 100_000 || dataStart + dl > blob.length) throw new Error('the rpm header is truncated')
  const wanted = new Set(Object.values(TAG))
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16
    const tag = blob.readUInt32BE(e)
    if (!wanted.has(tag)) continue
    const type = blob.readUInt32BE(e + 4)
    const off = blob.readInt32BE(e + 8)
    if (off < 0 || off >= dl) continue
    const at = dataStart + off
    if (type === STRING || type === I18NSTRING) {
      const end = blob.indexOf(0, at)
      tags.set(tag, blob.toString('utf8', at, end < 0 ? dataStart + dl : end))
    } else if (type === INT32 && at + 4 <= blob.length) {
      tags.set(tag, blob.readInt32BE(at))
    }
  }
  return tags
}

/** `openssl-3.0.7-24.el9.src.rpm` → name `openssl`, version-release `3.0.7-24.el9`. */
export function splitSourceRpm(srpm: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(srpm)
  return m ? { name: m[1], version: `${m[2]}-${m[3]}` } : undefined
}

export function parseRpmDb(db: Buffer, path: string): RawPackage[] {
  const reader = new SqliteReader(db)
  const out: RawPackage[] = []
  for (const row of reader.rows('Packages')) {
    const blob = row[1]
    if (!Buffer.isBuffer(blob)) continue
    const t = parseRpmHeader(blob)
    const name = t.get(TAG.name)
    const version = t.get(TAG.version)
    const release = t.get(TAG.release)
    // gpg-pubkey entries are keys, not packages.
    if (typeof name !== 'string' || typeof version !== 'string' || name === 'gpg-pubkey') continue
    const epoch = t.get(TAG.epoch)
    const evr = `${typeof epoch === 'number' && epoch > 0 ? `${epoch}:` : ''}${version}${typeof release === 'string' ? `-${release}` : ''}`
    const pkg: RawPackage = { type: 'rpm', name, version: evr, path }
    const arch = t.get(TAG.arch)
    if (typeof arch === 'string') pkg.arch = arch
    const src =
      typeof t.get(TAG.sourceRpm) === 'string' ? splitSourceRpm(t.get(TAG.sourceRpm) as string) : undefined
    if (src) {
      pkg.source = src.name
      pkg.sourceVersion = src.version
    }
    out.push(pkg)
  }
  return out
}

export const rpmAnalyzer: FileAnalyzer = {
  id: 'rpm',
  match: (path) => path === 'var/lib/rpm/rpmdb.sqlite' || path === 'usr/lib/sysimage/rpm/rpmdb.sqlite',
  maxBytes: 256 * 1024 * 1024,
  parse: (path, data) => parseRpmDb(data, path)
}
