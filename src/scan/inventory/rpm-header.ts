/**
 * The rpm header blob, as every rpm database backend stores it (SQLite `Packages.blob`, BerkeleyDB `Packages`
 * values, NDB `Packages.db` blobs): index count and data length (big-endian), the index entries (tag, type,
 * offset, count) and the data store. One parser for all three backends, so a package reads the same whichever
 * database holds it.
 */
import type { RawPackage } from './types.js'

export const RPMTAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  arch: 1022,
  sourceRpm: 1044
} as const

const INT32 = 4
const STRING = 6
const STRING_ARRAY = 8
const I18NSTRING = 9
const WANTED = new Set<number>(Object.values(RPMTAG))

/** Reads the tags a package needs from an rpm header blob. */
export function parseRpmHeader(blob: Buffer): Map<number, string | number> {
  const tags = new Map<number, string | number>()
  if (blob.length < 8) throw new Error('the rpm header is shorter than its 8-byte preamble')
  const il = blob.readUInt32BE(0)
  const dl = blob.readUInt32BE(4)
  const dataStart = 8 + il * 16
  if (il > 100_000 || dl > 256 * 1024 * 1024 || dataStart + dl > blob.length) {
    throw new Error('the rpm header is truncated')
  }
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16
    const tag = blob.readUInt32BE(e)
    if (!WANTED.has(tag)) continue
    const type = blob.readUInt32BE(e + 4)
    const off = blob.readInt32BE(e + 8)
    if (off < 0 || off >= dl) continue
    const at = dataStart + off
    if (type === STRING || type === I18NSTRING || type === STRING_ARRAY) {
      const end = blob.indexOf(0, at)
      tags.set(tag, blob.toString('utf8', at, end < 0 || end > dataStart + dl ? dataStart + dl : end))
    } else if (type === INT32 && at + 4 <= dataStart + dl) {
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

/**
 * The package a header describes, or undefined for entries that are not packages (`gpg-pubkey` keys). The
 * version is `E:V-R` when the package has an epoch (as OSV writes rpm versions), else `V-R`. The source
 * package comes from SOURCERPM, with the same epoch, since a source rpm shares its binaries' epoch.
 */
export function rpmHeaderPackage(blob: Buffer, path: string): RawPackage | undefined {
  const t = parseRpmHeader(blob)
  const name = t.get(RPMTAG.name)
  const version = t.get(RPMTAG.version)
  const release = t.get(RPMTAG.release)
  if (typeof name !== 'string' || typeof version !== 'string' || name === 'gpg-pubkey') return undefined
  const epoch = t.get(RPMTAG.epoch)
  const e = typeof epoch === 'number' && epoch > 0 ? `${epoch}:` : ''
  const pkg: RawPackage = {
    type: 'rpm',
    name,
    version: `${e}${version}${typeof release === 'string' ? `-${release}` : ''}`,
    path
  }
  const arch = t.get(RPMTAG.arch)
  if (typeof arch === 'string') pkg.arch = arch
  const srpm = t.get(RPMTAG.sourceRpm)
  const src = typeof srpm === 'string' ? splitSourceRpm(srpm) : undefined
  if (src) {
    pkg.source = src.name
    pkg.sourceVersion = `${e}${src.version}`
  }
  return pkg
}
