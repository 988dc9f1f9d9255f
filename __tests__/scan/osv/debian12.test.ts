/**
 * A real Debian 12 minbase (`debian:bookworm`, debootstrap of the main suite) against the fixture records in
 * __tests__/fixtures/osv/debian12 (see its README): exactly the packages that later uploads fix are reported,
 * none of the decoys, and the offline directory, an `all.zip` and the API path give identical findings.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { docker } from '../../helpers/testenv.js'
import { startOsvServer, writeZip, type OsvServer } from '../../helpers/osv-server.js'
import { matchVulnerabilities } from '../../../src/scan/match.js'
import { createApiSource, createOfflineSource } from '../../../src/scan/osv/index.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'
import type { InventoryPackage } from '../../../src/scan/types.js'
import type { Finding } from '../../../src/findings.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const FIXTURES = path.join(here, '../../fixtures/osv/debian12')

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith('.json') ? [p] : []
  })
}

let packages: InventoryPackage[] = []
let records: OsvRecord[] = []
let server: OsvServer
let tmp: string
const layer = { digest: '', inherited: true }

beforeAll(async () => {
  let out: string
  try {
    out = docker([
      'run',
      '--rm',
      '--network',
      'none',
      'debian:bookworm',
      'dpkg-query',
      '-W',
      '-f',
      '${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\n'
    ])
  } catch (err) {
    throw new Error(
      `cannot run debian:bookworm: run \`bash scripts/test-env.sh\` first (${(err as Error).message})`,
      { cause: err }
    )
  }
  layer.digest = (
    JSON.parse(
      docker(['image', 'inspect', 'debian:bookworm', '--format', '{{json .RootFS.Layers}}'])
    ) as string[]
  )[0]
  packages = out
    .trim()
    .split('\n')
    .map((line) => {
      const [name, version, source, sourceVersion] = line.split('\t')
      return {
        type: 'deb',
        name,
        version,
        ecosystem: 'Debian:12',
        source,
        sourceVersion,
        purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}?distro=debian-12`,
        layer: { ...layer },
        location: { path: 'Dockerfile', startLine: 1 }
      } satisfies InventoryPackage
    })
  records = jsonFiles(FIXTURES).map((f) => JSON.parse(readFileSync(f, 'utf8')) as OsvRecord)
  server = await startOsvServer({ records, pageSize: 1 })
  tmp = mkdtempSync(path.join(os.tmpdir(), 'osv-deb12-'))
})

afterAll(async () => {
  await server?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

const summary = (fs: Finding[]): string[] =>
  fs.map((f) => `${f.package?.name} ${f.ruleId} ${f.vulnerability?.fixedVersion ?? '-'}`).sort()

const EXPECTED = [
  'apt DEBIAN-CVE-2011-3374 -',
  'coreutils DEBIAN-CVE-2016-2781 -',
  'libapt-pkg6.0 DEBIAN-CVE-2011-3374 -',
  'libc-bin DEBIAN-CVE-2026-10001 2.36-9+deb12u15',
  'libc6 DEBIAN-CVE-2026-10001 2.36-9+deb12u15',
  'libcap2 DEBIAN-CVE-2026-10005 1:2.66-4+deb12u4',
  'libpam-modules DEBIAN-CVE-2026-10003 1.5.2-6+deb12u3',
  'libpam-modules-bin DEBIAN-CVE-2026-10003 1.5.2-6+deb12u3',
  'libpam-runtime DEBIAN-CVE-2026-10003 1.5.2-6+deb12u3',
  'libpam0g DEBIAN-CVE-2026-10003 1.5.2-6+deb12u3',
  'libsystemd0 DEBIAN-CVE-2026-10002 252.39-1~deb12u3',
  'libtasn1-6 DEBIAN-CVE-2026-10006 -',
  'libudev1 DEBIAN-CVE-2026-10002 252.39-1~deb12u3',
  'tar DEBIAN-CVE-2005-2541 -'
]

describe('Debian 12 minbase against bookworm advisories', () => {
  it('has the real installed packages', () => {
    expect(packages.length).toBeGreaterThan(80)
    const src = new Map(packages.map((p) => [p.name, `${p.source} ${p.sourceVersion}`]))
    // The fixtures are written against these source versions; a different image would invalidate them.
    expect(src.get('libc6')).toBe('glibc 2.36-9+deb12u14')
    expect(src.get('libpam0g')).toBe('pam 1.5.2-6+deb12u2')
    expect(src.get('libsystemd0')).toBe('systemd 252.39-1~deb12u2')
    expect(src.get('libcap2')).toBe('libcap2 1:2.66-4+deb12u3')
    expect(src.get('login')).toBe('shadow 1:4.13+dfsg1-1+deb12u2')
  })

  it('reports exactly the affected packages from an offline directory, and none of the decoys', async () => {
    const findings = await matchVulnerabilities(packages, createOfflineSource(path.dirname(FIXTURES)))
    expect(summary(findings)).toEqual(EXPECTED)
    const ids = new Set(findings.flatMap((f) => [f.ruleId, ...(f.vulnerability?.aliases ?? [])]))
    for (const decoy of [
      'DEBIAN-CVE-2026-10004',
      'UBUNTU-CVE-2026-10007',
      'DEBIAN-CVE-2026-10008',
      'DEBIAN-CVE-2026-10009',
      'DEBIAN-CVE-2026-10010',
      'DEBIAN-CVE-2026-10011',
      'DEBIAN-CVE-2026-10012',
      'DEBIAN-CVE-2026-10013',
      'DSA-5514-1',
      'DEBIAN-CVE-2023-4911',
      'DEBIAN-CVE-2022-48303',
      'DEBIAN-CVE-2024-28834'
    ])
      expect(ids.has(decoy)).toBe(false)
  })

  it('merges the DSA and the DEBIAN-CVE record of one CVE into one finding per binary package', async () => {
    const findings = await matchVulnerabilities(packages, createOfflineSource(FIXTURES))
    const libc6 = findings.filter((f) => f.package?.name === 'libc6')
    expect(libc6).toHaveLength(1)
    expect(libc6[0].vulnerability?.aliases).toEqual(['CVE-2026-10001', 'DSA-9001-1'])
    expect(libc6[0].message).toBe(
      'libc6 2.36-9+deb12u14 (glibc) is affected by CVE-2026-10001; fixed in 2.36-9+deb12u15'
    )
    expect(libc6[0].help).toBe('upgrade libc6 to 2.36-9+deb12u15 or later')
    const pam = findings.find((f) => f.package?.name === 'libpam0g') as Finding
    expect(pam).toMatchObject({
      category: 'vulnerability',
      severity: 'medium',
      location: { path: 'Dockerfile', startLine: 1 },
      layer: { digest: layer.digest, inherited: true },
      package: { name: 'libpam0g', version: '1.5.2-6+deb12u2', ecosystem: 'Debian:12', source: 'pam' },
      vulnerability: { id: 'DEBIAN-CVE-2026-10003', fixedVersion: '1.5.2-6+deb12u3', severityUnknown: true }
    })
  })

  it('drops the unfixed ones with ignoreUnfixed', async () => {
    const findings = await matchVulnerabilities(packages, createOfflineSource(FIXTURES), {
      ignoreUnfixed: true
    })
    expect(summary(findings)).toEqual(EXPECTED.filter((e) => !e.endsWith(' -')))
  })

  it('gives identical findings from all.zip, from the API (paginated) and from the directory', async () => {
    const fromDir = await matchVulnerabilities(packages, createOfflineSource(FIXTURES))
    mkdirSync(path.join(tmp, 'Debian'))
    writeFileSync(
      path.join(tmp, 'Debian', 'all.zip'),
      writeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })))
    )
    const fromZip = await matchVulnerabilities(packages, createOfflineSource(tmp))
    const before = server.requests.length
    const fromApi = await matchVulnerabilities(packages, createApiSource(server.url))
    expect(fromZip).toEqual(fromDir)
    expect(fromApi).toEqual(fromDir)
    const reqs = server.requests.slice(before)
    // pageSize 1: glibc has two records, so its query needed a second page
    expect(reqs.filter((r) => r.path === '/v1/querybatch').length).toBeGreaterThanOrEqual(2)
    expect(reqs.some((r) => (r.pageTokens ?? 0) > 0)).toBe(true)
    // one query per distinct source package and version, not per binary package
    const first = reqs.find((r) => r.path === '/v1/querybatch')
    expect(first?.queries).toBe(new Set(packages.map((p) => `${p.source} ${p.sourceVersion}`)).size)
  })
})
