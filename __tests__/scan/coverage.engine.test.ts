/**
 * Coverage over images built in the real engine and streamed from `GET /images/{name}/get`, as the pipeline
 * scans them. Release files are written as the distributions ship them (see os-releases.ts); the rpm database
 * is the real one rpm 4.18 wrote (fixtures/README.md). Advisories come from the loopback OSV API or an offline
 * directory, in osv.dev's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { evaluateGate, type Report } from '../../src/findings.js'
import { renderText } from '../../src/publish/text.js'
import { assessCoverage, newMatchCoverage } from '../../src/scan/coverage.js'
import { matchVulnerabilities } from '../../src/scan/match.js'
import { createApiSource, createOfflineSource } from '../../src/scan/osv/index.js'
import type { OsvRecord } from '../../src/scan/osv/types.js'
import { startOsvServer, type OsvServer } from '../helpers/osv-server.js'
import { buildImage, removeImages, scanImage, type TarEntry } from './helpers.js'
import { RELEASES, UNCOVERED } from './os-releases.js'

/** A root-relative path, with or without the leading slash. */
const at = (p: string): unknown => expect.stringMatching(new RegExp(`^/?${p.replace(/[.]/g, '\\.')}$`))

const RPMDB = gunzipSync(readFileSync(new URL('./fixtures/rpmdb.sqlite.gz', import.meta.url)))

const made: string[] = []
let server: OsvServer
let osvDir: string

const RLSA: OsvRecord = {
  id: 'RLSA-2024:2447',
  summary: 'Moderate: openssl and openssl-fips-provider security update',
  affected: [
    {
      package: { ecosystem: 'Rocky Linux:9', name: 'openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-27.el9' }] }]
    }
  ]
}
const DEBIAN_ZLIB: OsvRecord = {
  id: 'DEBIAN-CVE-2023-45853',
  upstream: ['CVE-2023-45853'],
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'zlib' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]
    }
  ]
}
const NPM_OTHER: OsvRecord = {
  id: 'GHSA-xxxx-0000-0001',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.0.1' }] }]
    }
  ]
}

const DPKG_STATUS = [
  'Package: zlib1g',
  'Status: install ok installed',
  'Architecture: amd64',
  'Source: zlib',
  'Version: 1:1.2.13.dfsg-1',
  '',
  'Package: base-files',
  'Status: install ok installed',
  'Architecture: amd64',
  'Version: 12.4+deb12u5',
  ''
].join('\n')

const files = (o: Record<string, string | Buffer>): TarEntry[] =>
  Object.entries(o).map(([name, data]) => ({ name: `root/${name}`, data }))

async function image(fs: Record<string, string | Buffer>): Promise<string> {
  const name = await buildImage('FROM scratch\nCOPY root/ /\n', files(fs))
  made.push(name)
  return name
}

/** The report of a scan that found no vulnerabilities: the coverage gaps are its only findings. */
function reportOf(coverage: ReturnType<typeof assessCoverage>): Report {
  const findings = [...coverage.findings]
  return {
    tool: { name: 'secure-image', version: 'test' },
    findings,
    coverage: coverage.coverage,
    gate: evaluateGate(findings, 'high')
  }
}

beforeAll(async () => {
  server = await startOsvServer({ records: [RLSA, DEBIAN_ZLIB, NPM_OTHER] })
  osvDir = mkdtempSync(path.join(tmpdir(), 'si-cov-osv-'))
  mkdirSync(path.join(osvDir, 'Debian'))
  writeFileSync(path.join(osvDir, 'Debian', 'DEBIAN-CVE-2023-45853.json'), JSON.stringify(DEBIAN_ZLIB))
})
afterAll(async () => {
  await server.close()
  rmSync(osvDir, { recursive: true, force: true })
  removeImages(...made)
})

describe('an OS no advisory source covers', () => {
  it('CentOS 7 with an rpm BerkeleyDB this scan cannot read: two gaps, the gate fails, nothing is called clean', async () => {
    const name = await image({
      ...UNCOVERED['centos:7'],
      // Not a BerkeleyDB: whichever reader takes it, this database is not read.
      'var/lib/rpm/Packages': Buffer.alloc(16384, 0x5a)
    })
    const scan = await scanImage(name)
    expect(scan.inventory.os).toMatchObject({ id: 'centos', versionId: '7' })
    expect(scan.inventory.os?.ecosystem).toBeUndefined()
    expect(scan.inventory.databases).toEqual([
      expect.objectContaining({
        path: at('var/lib/rpm/Packages'),
        format: 'rpm-bdb',
        packages: 0,
        error: expect.any(String)
      })
    ])
    const checked = newMatchCoverage()
    const before = server.requests.length
    const vulns = await matchVulnerabilities(scan.inventory.packages, createApiSource(server.url), {
      ...(scan.inventory.os ? { os: scan.inventory.os } : {}),
      coverage: checked
    })
    expect(vulns).toEqual([])
    expect(server.requests.length).toBe(before)
    const cov = assessCoverage(scan.inventory, checked)
    expect(cov.findings.map((f) => [f.ruleId, f.category, f.severity])).toEqual([
      ['SI6001', 'coverage', 'high'],
      ['SI6002', 'coverage', 'high']
    ])
    expect(cov.findings[0].message).toBe(
      'CentOS Linux 7 (Core): no advisory source covers this OS, so no OS package was checked'
    )
    expect(cov.findings[1].message).toMatch(
      /^\/?var\/lib\/rpm\/Packages \(rpm-bdb\) could not be read .*: 0 of its packages were checked$/
    )
    expect(cov.coverage).toMatchObject({ os: { id: 'centos', covered: false }, complete: false })

    const report = reportOf(cov)
    expect(report.gate).toMatchObject({ passed: false, failing: 2 })
    // A documented coverage threshold lets the gaps pass, and they are still reported.
    expect(evaluateGate(report.findings, { default: 'high', coverage: 'critical' }).passed).toBe(true)
    const text = renderText({ ...report, gate: evaluateGate(report.findings, { coverage: 'critical' }) })
    expect(text).toMatch(/SI6001/)
    expect(text).toMatch(/No vulnerabilities found, but not everything was checked/)
    expect(text).not.toMatch(/No known vulnerabilities/)
  })

  it('Amazon Linux 2 with a database that is read: none of its packages is looked up, and it says how many', async () => {
    const name = await image({ ...UNCOVERED['amazonlinux:2'], 'var/lib/rpm/rpmdb.sqlite': RPMDB })
    const scan = await scanImage(name)
    expect(scan.inventory.os).toMatchObject({ id: 'amzn', versionId: '2', prettyName: 'Amazon Linux 2' })
    expect(scan.inventory.packages).toHaveLength(6)
    expect(scan.inventory.databases).toEqual([
      expect.objectContaining({ path: at('var/lib/rpm/rpmdb.sqlite'), format: 'rpm-sqlite', packages: 6 })
    ])
    expect(scan.inventory.databases?.[0]?.error).toBeUndefined()
    const checked = newMatchCoverage()
    const before = server.requests.length
    await matchVulnerabilities(scan.inventory.packages, createApiSource(server.url), {
      ...(scan.inventory.os ? { os: scan.inventory.os } : {}),
      coverage: checked
    })
    expect(server.requests.length).toBe(before)
    expect(checked).toMatchObject({ checked: 0, uncoveredOs: 6 })
    const cov = assessCoverage(scan.inventory, checked)
    expect(cov.findings.map((f) => f.message)).toEqual([
      'Amazon Linux 2: no advisory source covers this OS, so none of its 6 OS packages was checked'
    ])
    expect(reportOf(cov).gate.passed).toBe(false)
  })
})

describe('a covered OS', () => {
  it('Rocky Linux 9 with the real rpm database: looked up as `Rocky Linux:9` by source package with its epoch', async () => {
    const name = await image({ ...RELEASES['rockylinux:9'].files, 'var/lib/rpm/rpmdb.sqlite': RPMDB })
    const scan = await scanImage(name)
    expect(scan.inventory.os?.ecosystem).toBe('Rocky Linux:9')
    const checked = newMatchCoverage()
    const vulns = await matchVulnerabilities(scan.inventory.packages, createApiSource(server.url), {
      ...(scan.inventory.os ? { os: scan.inventory.os } : {}),
      coverage: checked
    })
    expect(
      vulns.map((f) => [f.ruleId, f.package?.name, f.package?.version, f.vulnerability?.fixedVersion])
    ).toEqual([['RLSA-2024:2447', 'openssl-libs', '1:3.0.7-24.el9', '1:3.0.7-27.el9']])
    const cov = assessCoverage(scan.inventory, checked)
    expect(cov.findings).toEqual([])
    expect(cov.coverage).toMatchObject({
      os: { id: 'rocky', ecosystem: 'Rocky Linux:9', covered: true },
      packages: 6,
      checked: 6,
      complete: true
    })
  })

  it('Debian 12 with a skipped file and an ecosystem the offline database has nothing for', async () => {
    const name = await image({
      ...RELEASES['debian:12'].files,
      'var/lib/dpkg/status': DPKG_STATUS,
      'app/node_modules/big/package.json': JSON.stringify({
        name: 'big',
        version: '1.0.0',
        pad: 'x'.repeat(10000)
      }),
      'app/node_modules/small/package.json': JSON.stringify({ name: 'small', version: '2.0.0' })
    })
    const scan = await scanImage(name, { maxFileBytes: 4096 })
    expect(scan.inventory.skipped).toEqual([
      { path: at('app/node_modules/big/package.json'), reason: expect.stringMatching(/4096/) }
    ])
    expect(scan.inventory.databases).toEqual([
      expect.objectContaining({ path: at('var/lib/dpkg/status'), format: 'dpkg', packages: 2 })
    ])
    const checked = newMatchCoverage()
    const vulns = await matchVulnerabilities(scan.inventory.packages, createOfflineSource(osvDir), {
      ...(scan.inventory.os ? { os: scan.inventory.os } : {}),
      coverage: checked
    })
    expect(vulns.map((f) => f.ruleId)).toEqual(['DEBIAN-CVE-2023-45853'])
    const cov = assessCoverage(scan.inventory, checked)
    expect(cov.findings.map((f) => [f.ruleId, f.message])).toEqual([
      [
        'SI6003',
        expect.stringMatching(
          /^\/?app\/node_modules\/big\/package\.json was skipped \(.*4096.*\); the packages in it were not checked$/
        )
      ],
      ['SI6004', 'the advisory source has no advisories for npm, so 1 package in it was not checked']
    ])
    expect(cov.findings[0].imagePath).toBe('/app/node_modules/big/package.json')
    expect(cov.coverage.ecosystemsWithoutAdvisories).toEqual([{ ecosystem: 'npm', packages: 1 }])
    expect(cov.coverage).toMatchObject({ packages: 3, checked: 2, complete: false })

    // The same image with everything read and advisories for every ecosystem: complete.
    const full = await scanImage(name)
    const all = newMatchCoverage()
    await matchVulnerabilities(full.inventory.packages, createApiSource(server.url), {
      ...(full.inventory.os ? { os: full.inventory.os } : {}),
      coverage: all
    })
    const fullCov = assessCoverage(full.inventory, all)
    expect(fullCov.findings).toEqual([])
    expect(fullCov.coverage).toMatchObject({ packages: 4, checked: 4, complete: true, skipped: [] })
  })
})
