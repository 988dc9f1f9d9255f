/**
 * rpm: the installed-package database in each backend real images use, all read by our own code from memory:
 * - SQLite `rpmdb.sqlite` (RHEL/Rocky/Alma 9, Fedora, Azure Linux): the `Packages` table's `blob` column;
 * - BerkeleyDB `Packages` (CentOS 7, EL8, Amazon Linux 2, openSUSE Leap): a hash database keyed by the
 *   4-byte header instance number (key 0 holds the next instance number, not a package);
 * - NDB `Packages.db` (SLES 15, openSUSE): rpm's own slot/blob format.
 * Each yields rpm header blobs, read by the one header parser in rpm-header.ts.
 */
import { posix } from 'node:path'
import { BerkeleyHashReader } from './berkeleydb.js'
import { rpmHeaderPackage } from './rpm-header.js'
import { readNdbBlobs } from './rpm-ndb.js'
import { SqliteReader } from './sqlite.js'
import type { FileAnalyzer, RawPackage } from './types.js'

export { parseRpmHeader, splitSourceRpm } from './rpm-header.js'

export type RpmBackend = 'sqlite' | 'bdb' | 'ndb'

const FILES: Record<string, RpmBackend> = { 'rpmdb.sqlite': 'sqlite', Packages: 'bdb', 'Packages.db': 'ndb' }

/** Where rpm opens its database (`%_dbpath`): the traditional and the `/usr/lib/sysimage` location. */
export const RPM_DB_PATHS = ['var/lib/rpm', 'usr/lib/sysimage/rpm'].flatMap((d) =>
  Object.keys(FILES).map((f) => `${d}/${f}`)
)

/** The backend a database file is in, by its name. */
export function rpmBackend(path: string): RpmBackend | undefined {
  return FILES[posix.basename(path)]
}

/** The header blobs of an rpm database in the given backend. */
export function rpmHeaderBlobs(db: Buffer, backend: RpmBackend): Buffer[] {
  if (backend === 'sqlite') {
    const out: Buffer[] = []
    for (const row of new SqliteReader(db).rows('Packages')) if (Buffer.isBuffer(row[1])) out.push(row[1])
    return out
  }
  if (backend === 'ndb') return readNdbBlobs(db).map((b) => b.blob)
  const reader = new BerkeleyHashReader(db)
  const out: Buffer[] = []
  for (const { key, value } of reader.entries()) {
    const n = reader.keyNumber(key)
    if (n === undefined || n === 0) continue
    out.push(value)
  }
  return out
}

export function parseRpmDb(db: Buffer, path: string, backend = rpmBackend(path) ?? 'sqlite'): RawPackage[] {
  const out: RawPackage[] = []
  for (const blob of rpmHeaderBlobs(db, backend)) {
    const pkg = rpmHeaderPackage(blob, path)
    if (pkg) out.push(pkg)
  }
  return out
}

export const rpmAnalyzer: FileAnalyzer = {
  id: 'rpm',
  format: (path) => `rpm-${rpmBackend(path) ?? 'sqlite'}`,
  canonical: RPM_DB_PATHS,
  match: (path) => /(?:^|\/)(?:lib|sysimage)\/rpm\/(?:rpmdb\.sqlite|Packages|Packages\.db)$/.test(path),
  maxBytes: 256 * 1024 * 1024,
  parse: (path, data) => parseRpmDb(data, path)
}
