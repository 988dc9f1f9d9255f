/**
 * dpkg's database in both shapes, checked against `dpkg-query -W` in the debootstrap image `debian:bookworm`:
 * the `status` file itself, and the distroless `status.d/` directory (one file per package, no Status field),
 * made here by splitting that same status file, as distroless images ship it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { docker } from '../helpers/testenv.js'
import { buildImage, removeImages, scanImage } from './helpers.js'

const made: string[] = []
let status: string
let dpkgQuery: string[]

beforeAll(() => {
  status = docker(['run', '--rm', 'debian:bookworm', 'cat', '/var/lib/dpkg/status'])
  dpkgQuery = docker(['run', '--rm', 'debian:bookworm', 'dpkg-query', '-W', '-f', '${Package} ${Version}\n'])
    .trim()
    .split('\n')
    .sort()
}, 60_000)
afterAll(() => removeImages(...made))

describe('dpkg status and status.d', () => {
  it('distroless status.d: one file per package, read in full and listed as one database', async () => {
    const paragraphs = status.split(/\n\n+/).filter((p) => p.trim() !== '')
    const files = paragraphs.map((p) => {
      const name = /^Package: (.+)$/m.exec(p)![1]
      return { name: `status.d/${name}`, data: Buffer.from(p.replace(/^Status: .*\n/m, '') + '\n') }
    })
    // distroless ships an md5sums file beside some entries; it is not a package entry.
    files.push({
      name: 'status.d/base-files.md5sums',
      data: Buffer.from('d41d8cd98f00b204e9800998ecf8427e  etc/x\n')
    })
    const name = await buildImage(
      'FROM scratch\nCOPY os-release /etc/os-release\nCOPY status.d /var/lib/dpkg/status.d\n',
      [
        { name: 'os-release', data: Buffer.from('PRETTY_NAME="Distroless"\nID=debian\nVERSION_ID="12"\n') },
        ...files
      ]
    )
    made.push(name)
    const r = await scanImage(name)
    expect(dpkgQuery.length).toBeGreaterThan(80)
    expect(r.inventory.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(dpkgQuery)
    expect(r.inventory.databases).toEqual([
      { path: '/var/lib/dpkg/status.d', format: 'dpkg', packages: dpkgQuery.length }
    ])
    expect(r.inventory.skipped).toEqual([])
  })

  it('debian:bookworm: the status file is the one database, with every package dpkg-query lists', async () => {
    const r = await scanImage('debian:bookworm')
    expect(r.inventory.databases).toEqual([
      { path: '/var/lib/dpkg/status', format: 'dpkg', packages: dpkgQuery.length }
    ])
    expect(r.inventory.packages.filter((p) => p.type === 'deb').length).toBe(dpkgQuery.length)
  })
})
