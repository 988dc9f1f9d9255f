/**
 * rpm databases made by the real tools, for tests: tiny noarch rpms built by `rpmbuild`, installed with
 * `rpm --justdb` into an SQLite rpmdb, then the same header blobs written as a BerkeleyDB hash database by
 * Berkeley DB's own `db5.3_load`, and as an NDB `Packages.db` by the writer below. The oracle for each is what
 * the real `rpm -qa` lists (for NDB, which Debian's rpm cannot read, the SQLite database's listing of the very
 * same blobs).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SqliteReader } from '../../src/scan/inventory/sqlite.js'

export const QUERY_FORMAT = '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM}\\n'

function description(words: number, seed: string): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(`${seed}${(i * 7919) % 10007}`)
  return out.join(' ').replace(/(.{1,70})(\s|$)/g, '$1\n')
}

/** A spec with a main package and `subs` subpackages whose descriptions grow, so some headers are large. */
function spec(
  name: string,
  version: string,
  release: string,
  epoch: number | undefined,
  subs: number
): string {
  const lines = [
    `Name: ${name}`,
    `Version: ${version}`,
    `Release: ${release}`,
    ...(epoch !== undefined ? [`Epoch: ${epoch}`] : []),
    'Summary: a test package',
    'License: MIT',
    'BuildArch: noarch',
    '%description',
    description(40, name),
    '%files'
  ]
  for (let i = 1; i <= subs; i++) {
    lines.push(`%package -n ${name}-part${i}`, `Summary: part ${i}`, `%description -n ${name}-part${i}`)
    lines.push(description(i * i * 60, `p${i}`), `%files -n ${name}-part${i}`)
  }
  return lines.join('\n') + '\n'
}

export interface RpmFixture {
  /** The SQLite rpmdb written by `rpm --justdb`. */
  sqlite: Buffer
  /** The header blobs in it, by header instance number. */
  blobs: { hnum: number; blob: Buffer }[]
  /** `rpm -qa --qf QUERY_FORMAT` over the SQLite database, sorted. */
  qa: string[]
}

function rpmQa(root: string, backend?: string): string[] {
  const args = [
    ...(backend ? ['--define', `_db_backend ${backend}`] : []),
    '--root',
    root,
    '--dbpath',
    '/var/lib/rpm',
    '-qa',
    '--qf',
    QUERY_FORMAT
  ]
  return execFileSync('rpm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim()
    .split('\n')
    .sort()
}

/** Builds the packages and installs them into an SQLite rpmdb under `dir`. */
export function makeRpmFixture(dir: string): RpmFixture {
  const top = join(dir, 'top')
  const specs = [
    spec('si-alpha', '1.2.3', '4.el9', 2, 12),
    spec('si-beta', '0.9', '1.el9', undefined, 10),
    spec('si-gamma', '7.0.1', '3.fc40', 1, 0)
  ]
  specs.forEach((s, i) => {
    writeFileSync(join(dir, `s${i}.spec`), s)
    execFileSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, join(dir, `s${i}.spec`)], {
      stdio: 'ignore'
    })
  })
  const rpms = execFileSync('find', [join(top, 'RPMS'), '-name', '*.rpm'], { encoding: 'utf8' })
    .trim()
    .split('\n')
  const root = join(dir, 'sqlite-root')
  execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb'])
  execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--justdb', ...rpms], {
    stdio: 'ignore'
  })
  const sqlite = readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'))
  const blobs = new SqliteReader(sqlite)
    .rows('Packages')
    .map((r) => ({ hnum: Number(r[0]), blob: r[1] as Buffer }))
  return { sqlite, blobs, qa: rpmQa(root) }
}

/**
 * The BerkeleyDB `Packages` of the same headers, written by `db5.3_load` from a dump in Berkeley DB's
 * `bytevalue` format: key 0 holds the next header instance number, and each header is keyed by its instance
 * number as 4 little-endian bytes, as rpm's bdb backend stores them on x86. Returns the file and what
 * `rpm --define '_db_backend bdb_ro' -qa` lists from it.
 */
export function makeBdb(dir: string, blobs: { hnum: number; blob: Buffer }[]): { db: Buffer; qa: string[] } {
  const le = (n: number): string => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b.toString('hex')
  }
  const next = Math.max(...blobs.map((b) => b.hnum)) + 1
  const dump = ['VERSION=3', 'format=bytevalue', 'type=hash', 'db_pagesize=4096', 'HEADER=END']
  dump.push(` ${le(0)}`, ` ${le(next)}`)
  for (const { hnum, blob } of blobs) dump.push(` ${le(hnum)}`, ` ${blob.toString('hex')}`)
  dump.push('DATA=END', '')
  const root = join(dir, 'bdb-root')
  mkdirSync(join(root, 'var/lib/rpm'), { recursive: true })
  writeFileSync(join(dir, 'Packages.dump'), dump.join('\n'))
  execFileSync('db5.3_load', ['-f', join(dir, 'Packages.dump'), join(root, 'var/lib/rpm/Packages')])
  return { db: readFileSync(join(root, 'var/lib/rpm/Packages')), qa: rpmQa(root, 'bdb_ro') }
}

function adler32(buf: Buffer): number {
  let a = 1
  let b = 0
  for (const x of buf) {
    a = (a + x) % 65521
    b = (b + a) % 65521
  }
  return ((b << 16) | a) >>> 0
}

/**
 * An NDB `Packages.db`, written following rpm's `lib/backend/ndb/rpmpkg.c` (no NDB writer exists on Debian):
 * the 32-byte header (`RpmP`, version 0, generation, slot page count, next package index), 4096-byte slot
 * pages of 16-byte slots (`Slot`, package index, block offset, block count; the first two slots of page 0
 * are the header), blobs in 16-byte blocks after the slot pages, each framed by `BlbS` head (magic, index,
 * timestamp, length) and tail (Adler-32 of head, blob and padding; length; `BlbE`). `freeSlots` empty slots
 * are left between used ones, as rpm leaves them after an erase.
 */
export function makeNdb(blobs: { hnum: number; blob: Buffer }[], freeSlots = 1): Buffer {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n >>> 0)
    return b
  }
  const slotsNeeded = 2 + blobs.length + freeSlots
  const slotPages = Math.ceil(slotsNeeded / 256)
  const head = Buffer.concat([Buffer.from('RpmP'), u32(0), u32(blobs.length + 7), u32(slotPages)])
  const parts: Buffer[] = []
  let blk = (slotPages * 4096) / 16
  const slots: Buffer[] = []
  blobs.forEach(({ hnum, blob }, i) => {
    if (i === 1)
      for (let f = 0; f < freeSlots; f++)
        slots.push(Buffer.concat([Buffer.from('Slot'), u32(0), u32(0), u32(0)]))
    const cnt = Math.ceil((16 + blob.length + 12) / 16)
    const h = Buffer.concat([Buffer.from('BlbS'), u32(hnum), u32(1700000000), u32(blob.length)])
    const pad = Buffer.alloc(cnt * 16 - 16 - blob.length - 12)
    const adl = adler32(Buffer.concat([h, blob, pad]))
    parts.push(h, blob, pad, u32(adl), u32(blob.length), Buffer.from('BlbE'))
    slots.push(Buffer.concat([Buffer.from('Slot'), u32(hnum), u32(blk), u32(cnt)]))
    blk += cnt
  })
  const header = Buffer.concat([head, u32(Math.max(...blobs.map((b) => b.hnum)) + 1), Buffer.alloc(12)])
  const slotArea = Buffer.alloc(slotPages * 4096 - 32)
  for (let o = 0; o < slotArea.length; o += 16) slotArea.write('Slot', o)
  Buffer.concat(slots).copy(slotArea)
  return Buffer.concat([header, slotArea, ...parts])
}
