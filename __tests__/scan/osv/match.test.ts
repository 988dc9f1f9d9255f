import { describe, it, expect } from '@jest/globals'
import { matchVulnerabilities, osvQueriesFor, osvQueryFor } from '../../../src/scan/match.js'
import type { OsvQuery, OsvRecord, OsvSource } from '../../../src/scan/osv/types.js'
import type { InventoryPackage } from '../../../src/scan/types.js'

/** A source over fixed records that returns every record naming the package (as the offline source does). */
function memorySource(records: OsvRecord[]): OsvSource & { asked: OsvQuery[][] } {
  const asked: OsvQuery[][] = []
  return {
    asked,
    async query(qs) {
      asked.push(qs)
      return qs.map((q) => records.filter((r) => r.affected?.some((a) => a.package?.name === q.name)))
    }
  }
}

const npm = (name: string, version: string, extra: Partial<InventoryPackage> = {}): InventoryPackage => ({
  type: 'npm',
  name,
  version,
  ecosystem: 'npm',
  purl: `pkg:npm/${name}@${version}`,
  path: `/app/node_modules/${name}/package.json`,
  ...extra
})

const ghsa = (
  id: string,
  name: string,
  fixed: string | undefined,
  extra: Partial<OsvRecord> = {}
): OsvRecord => ({
  id,
  summary: `${name} problem`,
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }]
    }
  ],
  ...extra
})

describe('matchVulnerabilities', () => {
  it('makes one finding per package and advisory with the package, layer and location of the inventory', async () => {
    const pkg = npm('lodash', '4.17.20', {
      layer: { digest: 'sha256:abc', createdBy: 'RUN npm ci' },
      location: { path: 'app/Dockerfile', startLine: 7 }
    })
    const src = memorySource([
      ghsa('GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.21', {
        aliases: ['CVE-2021-23337'],
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
        references: [
          { type: 'WEB', url: 'https://w' },
          { type: 'ADVISORY', url: 'https://a' }
        ]
      })
    ])
    const [f, ...rest] = await matchVulnerabilities([pkg], src)
    expect(rest).toEqual([])
    expect(f).toEqual({
      category: 'vulnerability',
      ruleId: 'GHSA-35jh-r3h4-6jhm',
      severity: 'high',
      message: 'lodash 4.17.20 is affected by CVE-2021-23337; fixed in 4.17.21',
      help: 'upgrade lodash to 4.17.21 or later',
      location: { path: 'app/Dockerfile', startLine: 7 },
      layer: { digest: 'sha256:abc', createdBy: 'RUN npm ci' },
      package: {
        name: 'lodash',
        version: '4.17.20',
        ecosystem: 'npm',
        purl: 'pkg:npm/lodash@4.17.20',
        path: '/app/node_modules/lodash/package.json'
      },
      vulnerability: {
        id: 'GHSA-35jh-r3h4-6jhm',
        aliases: ['CVE-2021-23337'],
        summary: 'lodash problem',
        fixedVersion: '4.17.21',
        cvss: 7.2,
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
        references: ['https://a', 'https://w']
      }
    })
  })

  it('merges two records of one CVE for the same package, taking the highest fix and severity', async () => {
    const src = memorySource([
      ghsa('GHSA-1', 'x', '1.2.0', { aliases: ['CVE-2026-1'], database_specific: { severity: 'LOW' } }),
      ghsa('OSV-2026-9', 'x', '1.3.0', { aliases: ['CVE-2026-1'], database_specific: { severity: 'HIGH' } }),
      ghsa('GHSA-other', 'x', '1.1.0', { aliases: ['CVE-2026-2'] })
    ])
    const findings = await matchVulnerabilities([npm('x', '1.0.0')], src)
    expect(
      findings.map((f) => [f.ruleId, f.severity, f.vulnerability?.aliases, f.vulnerability?.fixedVersion])
    ).toEqual([
      ['OSV-2026-9', 'high', ['CVE-2026-1', 'GHSA-1'], '1.3.0'],
      ['GHSA-other', 'medium', ['CVE-2026-2'], '1.1.0']
    ])
  })

  it('attaches an advisory covering several CVEs to each of them instead of merging them', async () => {
    const deb = (id: string, upstream: string[], fixed?: string): OsvRecord => ({
      id,
      upstream,
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'glibc' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }]
        }
      ]
    })
    const pkg: InventoryPackage = {
      type: 'deb',
      name: 'libc6',
      version: '2.36-9+deb12u3',
      source: 'glibc',
      sourceVersion: '2.36-9+deb12u3',
      ecosystem: 'Debian:12'
    }
    const dsa = deb(
      'DSA-5611-1',
      ['CVE-2023-6246', 'DEBIAN-CVE-2023-6246', 'CVE-2023-6779', 'DEBIAN-CVE-2023-6779'],
      '2.36-9+deb12u4'
    )
    const findings = await matchVulnerabilities(
      [pkg],
      memorySource([
        dsa,
        deb('DEBIAN-CVE-2023-6246', ['CVE-2023-6246'], '2.36-9+deb12u4'),
        deb('DEBIAN-CVE-2023-6779', ['CVE-2023-6779'], '2.36-9+deb12u4')
      ])
    )
    expect(findings.map((f) => [f.ruleId, f.vulnerability?.aliases, f.vulnerability?.fixedVersion])).toEqual([
      ['DEBIAN-CVE-2023-6246', ['CVE-2023-6246', 'DSA-5611-1'], '2.36-9+deb12u4'],
      ['DEBIAN-CVE-2023-6779', ['CVE-2023-6779', 'DSA-5611-1'], '2.36-9+deb12u4']
    ])
    const alone = await matchVulnerabilities([pkg], memorySource([dsa]))
    expect(alone.map((f) => [f.ruleId, f.message])).toEqual([
      ['DSA-5611-1', 'libc6 2.36-9+deb12u3 (glibc) is affected by CVE-2023-6246; fixed in 2.36-9+deb12u4']
    ])
  })

  it('ignores withdrawn records, versions outside the ranges and other ecosystems', async () => {
    const other = ghsa('PYSEC-1', 'x', undefined)
    other.affected = [
      {
        package: { ecosystem: 'PyPI', name: 'x' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]
      }
    ]
    const src = memorySource([
      ghsa('GHSA-w', 'x', undefined, { withdrawn: '2026-01-01T00:00:00Z' }),
      ghsa('GHSA-old', 'x', '0.9.0'),
      other
    ])
    expect(await matchVulnerabilities([npm('x', '1.0.0')], src)).toEqual([])
  })

  it('requires the exact ecosystem release, whatever the source returns', async () => {
    const deb = (eco: string): OsvRecord => ({
      id: `DEBIAN-CVE-${eco}`,
      affected: [
        {
          package: { ecosystem: eco, name: 'gnutls28' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]
        }
      ]
    })
    const pkg: InventoryPackage = {
      type: 'deb',
      name: 'libgnutls30',
      version: '3.7.9-2+deb12u7',
      source: 'gnutls28',
      sourceVersion: '3.7.9-2+deb12u7',
      ecosystem: 'Debian:12'
    }
    const findings = await matchVulnerabilities(
      [pkg],
      memorySource([deb('Debian:11'), deb('Debian'), deb('Debian:12')])
    )
    expect(findings.map((f) => f.ruleId)).toEqual(['DEBIAN-CVE-Debian:12'])
  })

  it('drops unfixed findings with ignoreUnfixed, and applies unknownSeverity', async () => {
    const src = memorySource([ghsa('GHSA-nofix', 'x', undefined), ghsa('GHSA-fix', 'x', '2.0.0')])
    const all = await matchVulnerabilities([npm('x', '1.0.0')], src, { unknownSeverity: 'critical' })
    expect(all.map((f) => [f.ruleId, f.severity, f.vulnerability?.severityUnknown])).toEqual([
      ['GHSA-fix', 'critical', true],
      ['GHSA-nofix', 'critical', true]
    ])
    expect(all.find((f) => f.ruleId === 'GHSA-nofix')?.message).toBe(
      'x 1.0.0 is affected by GHSA-nofix; no fixed version is available'
    )
    const fixedOnly = await matchVulnerabilities([npm('x', '1.0.0')], src, { ignoreUnfixed: true })
    expect(fixedOnly.map((f) => f.ruleId)).toEqual(['GHSA-fix'])
  })

  it('asks once per distinct name and version', async () => {
    const src = memorySource([])
    await matchVulnerabilities(
      [npm('a', '1.0.0'), npm('a', '1.0.0', { path: '/other' }), npm('b', '1.0.0'), npm('a', '2.0.0')],
      src
    )
    expect(src.asked).toEqual([
      [
        { ecosystem: 'npm', name: 'a', version: '1.0.0' },
        { ecosystem: 'npm', name: 'b', version: '1.0.0' },
        { ecosystem: 'npm', name: 'a', version: '2.0.0' }
      ]
    ])
  })
})

describe('osvQueryFor', () => {
  it('uses the source package and version for Debian, Ubuntu and Alpine only', () => {
    const base = {
      type: 'deb' as const,
      name: 'bash',
      version: '5.2.15-2+b13',
      source: 'bash',
      sourceVersion: '5.2.15-2'
    }
    expect(osvQueryFor({ ...base, ecosystem: 'Debian:12' })).toEqual({
      ecosystem: 'Debian:12',
      name: 'bash',
      version: '5.2.15-2'
    })
    expect(
      osvQueryFor({ ...base, ecosystem: 'Ubuntu:22.04:LTS', name: 'libc6', source: 'glibc' })?.name
    ).toBe('glibc')
    expect(
      osvQueryFor({
        type: 'apk',
        name: 'libcrypto3',
        version: '3.1.4-r5',
        source: 'openssl',
        ecosystem: 'Alpine:v3.19'
      })
    ).toEqual({ ecosystem: 'Alpine:v3.19', name: 'openssl', version: '3.1.4-r5' })
    expect(
      osvQueryFor({ type: 'pypi', name: 'Jinja2', version: '3.1.2', source: 'x', ecosystem: 'PyPI' })?.name
    ).toBe('Jinja2')
    expect(osvQueryFor({ type: 'npm', name: 'x', version: '', ecosystem: 'npm' })).toBeUndefined()
  })
})

describe('Go modules', () => {
  const goPkg = (name: string, version: string): InventoryPackage => ({
    type: 'golang',
    name,
    version,
    ecosystem: 'Go',
    purl: `pkg:golang/${name}@${version}`,
    path: '/usr/local/bin/app'
  })

  it('asks OSV without the v prefix Go writes, and without go for the toolchain', () => {
    expect(osvQueryFor(goPkg('golang.org/x/net', 'v0.17.0'))).toEqual({
      ecosystem: 'Go',
      name: 'golang.org/x/net',
      version: '0.17.0'
    })
    expect(osvQueryFor(goPkg('stdlib', 'go1.21.5'))?.version).toBe('1.21.5')
    expect(osvQueryFor(goPkg('stdlib', '1.21.5'))?.version).toBe('1.21.5')
  })

  it('matches a v-prefixed module version against an OSV range', async () => {
    const record: OsvRecord = {
      id: 'GO-2023-2102',
      aliases: ['CVE-2023-39325'],
      summary: 'HTTP/2 rapid reset',
      affected: [
        {
          package: { ecosystem: 'Go', name: 'golang.org/x/net' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }]
        }
      ]
    }
    const hit = await matchVulnerabilities([goPkg('golang.org/x/net', 'v0.16.0')], memorySource([record]))
    expect(hit.map((f) => f.ruleId)).toEqual(['GO-2023-2102'])
    expect(hit[0].vulnerability?.fixedVersion).toBe('0.17.0')
    const fixed = await matchVulnerabilities([goPkg('golang.org/x/net', 'v0.17.0')], memorySource([record]))
    expect(fixed).toEqual([])
  })
})

describe('osvQueriesFor', () => {
  const rpm: InventoryPackage = {
    type: 'rpm',
    name: 'openssl-libs',
    version: '1:3.0.7-24.el9',
    source: 'openssl',
    sourceVersion: '3.0.7-24.el9',
    ecosystem: 'Red Hat:enterprise_linux:9::baseos'
  }
  const os = {
    id: 'rhel',
    ecosystem: 'Red Hat:enterprise_linux:9::baseos',
    ecosystems: ['Red Hat:enterprise_linux:9::baseos', 'Red Hat:enterprise_linux:9::appstream']
  }

  it('asks Red Hat for the binary and the source rpm in every repository stream, with the epoch', () => {
    expect(osvQueriesFor(rpm, os)).toEqual([
      { ecosystem: 'Red Hat:enterprise_linux:9::baseos', name: 'openssl-libs', version: '1:3.0.7-24.el9' },
      { ecosystem: 'Red Hat:enterprise_linux:9::baseos', name: 'openssl', version: '1:3.0.7-24.el9' },
      { ecosystem: 'Red Hat:enterprise_linux:9::appstream', name: 'openssl-libs', version: '1:3.0.7-24.el9' },
      { ecosystem: 'Red Hat:enterprise_linux:9::appstream', name: 'openssl', version: '1:3.0.7-24.el9' }
    ])
  })

  it('asks Rocky, Alma, Azure Linux and SUSE for the source rpm only', () => {
    for (const ecosystem of [
      'Rocky Linux:9',
      'AlmaLinux:9',
      'Azure Linux:3',
      'SUSE:Linux Enterprise Micro 5.5'
    ])
      expect(osvQueriesFor({ ...rpm, ecosystem })).toEqual([
        { ecosystem, name: 'openssl', version: '1:3.0.7-24.el9' }
      ])
  })

  it('sends nothing for OS packages of a release no source covers, and counts them', async () => {
    const src = memorySource([])
    const coverage = { checked: 0, uncoveredOs: 0, withoutAdvisories: new Map<string, number>() }
    await matchVulnerabilities([{ ...rpm, ecosystem: 'centos' }, npm('x', '1.0.0')], src, { coverage })
    expect(src.asked).toEqual([[{ ecosystem: 'npm', name: 'x', version: '1.0.0' }]])
    expect(coverage).toEqual({ checked: 1, uncoveredOs: 1, withoutAdvisories: new Map() })
  })
})
