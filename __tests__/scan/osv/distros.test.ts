/**
 * Every distribution OSV covers: the release files as the images ship them give the ecosystem string osv.dev
 * files advisories under, the package is looked up by the name OSV uses (the source package where OSV does),
 * and an advisory in the shape osv.dev publishes matches — from an offline directory laid out as osv.dev's
 * export (one folder per ecosystem) and through the loopback OSV API. The same package at the fixed version does
 * not match. The advisories are written here in osv.dev's shape (ids, `affected[].package.ecosystem` exactly as
 * osv.dev writes it, ECOSYSTEM ranges, `ecosystem_specific`/`database_specific` where those sources carry them).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { newMatchCoverage } from '../../../src/scan/coverage.js'
import { toInventoryPackage } from '../../../src/scan/inventory/index.js'
import type { RawPackage } from '../../../src/scan/inventory/types.js'
import { matchVulnerabilities } from '../../../src/scan/match.js'
import { detectOs } from '../../../src/scan/os.js'
import { createApiSource, createOfflineSource } from '../../../src/scan/osv/index.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'
import { baseEcosystem } from '../../../src/scan/versions/index.js'
import { startOsvServer, type OsvServer } from '../../helpers/osv-server.js'
import { RELEASES } from '../os-releases.js'

interface Case {
  release: keyof typeof RELEASES
  /** The package as the distribution's package database lists it. */
  pkg: Omit<RawPackage, 'path'> & { path?: string }
  /** The same package at the version that fixes the advisory. */
  fixedPkg: { version: string; sourceVersion?: string }
  record: OsvRecord
  fixed: string
}

const range = (fixed: string): { type: string; events: { introduced?: string; fixed?: string }[] }[] => [
  { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }
]

const CASES: Case[] = [
  {
    release: 'debian:12',
    pkg: {
      type: 'deb',
      name: 'libc6',
      version: '2.36-9+deb12u3',
      source: 'glibc',
      sourceVersion: '2.36-9+deb12u3',
      arch: 'amd64'
    },
    fixedPkg: { version: '2.36-9+deb12u7', sourceVersion: '2.36-9+deb12u7' },
    fixed: '2.36-9+deb12u7',
    record: {
      id: 'DEBIAN-CVE-2024-2961',
      modified: '2024-05-12T05:12:16Z',
      upstream: ['CVE-2024-2961'],
      details:
        'The iconv() function in the GNU C Library versions 2.39 and older may overflow the output buffer',
      affected: [
        {
          package: { name: 'glibc', ecosystem: 'Debian:11', purl: 'pkg:deb/debian/glibc?arch=source' },
          ranges: range('2.31-13+deb11u9')
        },
        {
          package: { name: 'glibc', ecosystem: 'Debian:12', purl: 'pkg:deb/debian/glibc?arch=source' },
          ranges: range('2.36-9+deb12u7')
        }
      ],
      database_specific: {
        source: 'https://storage.googleapis.com/cve-osv-conversion/osv-output/CVE-2024-2961.json'
      }
    }
  },
  {
    release: 'distroless/base-debian11',
    pkg: {
      type: 'deb',
      name: 'libssl1.1',
      version: '1.1.1n-0+deb11u4',
      source: 'openssl',
      sourceVersion: '1.1.1n-0+deb11u4',
      path: 'var/lib/dpkg/status.d/libssl1.1'
    },
    fixedPkg: { version: '1.1.1n-0+deb11u5', sourceVersion: '1.1.1n-0+deb11u5' },
    fixed: '1.1.1n-0+deb11u5',
    record: {
      id: 'DSA-5417-1',
      aliases: [],
      upstream: ['CVE-2023-0464', 'CVE-2023-0465'],
      summary: 'openssl - security update',
      affected: [
        {
          package: { name: 'openssl', ecosystem: 'Debian:11', purl: 'pkg:deb/debian/openssl?arch=source' },
          ranges: range('1.1.1n-0+deb11u5')
        }
      ]
    }
  },
  {
    release: 'ubuntu:22.04',
    pkg: {
      type: 'deb',
      name: 'libssl3',
      version: '3.0.2-0ubuntu1.10',
      source: 'openssl',
      sourceVersion: '3.0.2-0ubuntu1.10'
    },
    fixedPkg: { version: '3.0.2-0ubuntu1.14', sourceVersion: '3.0.2-0ubuntu1.14' },
    fixed: '3.0.2-0ubuntu1.14',
    record: {
      id: 'UBUNTU-CVE-2023-5678',
      upstream: ['CVE-2023-5678'],
      affected: [
        {
          package: {
            ecosystem: 'Ubuntu:22.04:LTS',
            name: 'openssl',
            purl: 'pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.14?arch=source&distro=jammy'
          },
          ranges: range('3.0.2-0ubuntu1.14'),
          ecosystem_specific: {
            binaries: [{ binary_name: 'libssl3', binary_version: '3.0.2-0ubuntu1.14' }],
            availability: 'No subscription required'
          }
        }
      ],
      severity: [{ type: 'Ubuntu', score: 'low' }]
    }
  },
  {
    release: 'ubuntu:18.04',
    pkg: {
      type: 'deb',
      name: 'libssl1.1',
      version: '1.1.1-1ubuntu2.1~18.04.23',
      source: 'openssl',
      sourceVersion: '1.1.1-1ubuntu2.1~18.04.23'
    },
    fixedPkg: { version: '1.1.1-1ubuntu2.1~18.04.23+esm4', sourceVersion: '1.1.1-1ubuntu2.1~18.04.23+esm4' },
    fixed: '1.1.1-1ubuntu2.1~18.04.23+esm4',
    record: {
      id: 'UBUNTU-CVE-2024-0727',
      upstream: ['CVE-2024-0727'],
      affected: [
        {
          package: {
            ecosystem: 'Ubuntu:Pro:18.04:LTS',
            name: 'openssl',
            purl: 'pkg:deb/ubuntu/openssl@1.1.1-1ubuntu2.1~18.04.23+esm4?arch=source&distro=esm-infra/bionic'
          },
          ranges: range('1.1.1-1ubuntu2.1~18.04.23+esm4'),
          ecosystem_specific: { availability: 'Available with Ubuntu Pro: https://ubuntu.com/pro' }
        }
      ]
    }
  },
  {
    release: 'ubuntu:23.10',
    pkg: {
      type: 'deb',
      name: 'curl',
      version: '8.2.1-1ubuntu3.1',
      source: 'curl',
      sourceVersion: '8.2.1-1ubuntu3.1'
    },
    fixedPkg: { version: '8.2.1-1ubuntu3.2', sourceVersion: '8.2.1-1ubuntu3.2' },
    fixed: '8.2.1-1ubuntu3.2',
    record: {
      id: 'UBUNTU-CVE-2023-46218',
      upstream: ['CVE-2023-46218'],
      affected: [{ package: { ecosystem: 'Ubuntu:23.10', name: 'curl' }, ranges: range('8.2.1-1ubuntu3.2') }]
    }
  },
  {
    release: 'alpine:3.18',
    pkg: {
      type: 'apk',
      name: 'libcrypto3',
      version: '3.1.4-r0',
      source: 'openssl',
      sourceVersion: '3.1.4-r0'
    },
    fixedPkg: { version: '3.1.4-r1', sourceVersion: '3.1.4-r1' },
    fixed: '3.1.4-r1',
    record: {
      id: 'ALPINE-CVE-2023-5678',
      upstream: ['CVE-2023-5678'],
      affected: [{ package: { ecosystem: 'Alpine:v3.18', name: 'openssl' }, ranges: range('3.1.4-r1') }],
      database_specific: { source: 'https://security.alpinelinux.org/vuln/CVE-2023-5678' }
    }
  },
  {
    release: 'ubi9',
    pkg: {
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:3.0.7-24.el9',
      source: 'openssl',
      sourceVersion: '3.0.7-24.el9',
      arch: 'x86_64'
    },
    fixedPkg: { version: '1:3.0.7-25.el9_3', sourceVersion: '3.0.7-25.el9_3' },
    fixed: '1:3.0.7-25.el9_3',
    record: {
      id: 'RHSA-2024:0310',
      upstream: ['CVE-2023-5678', 'CVE-2023-5363'],
      summary: 'Moderate: openssl security update',
      affected: [
        {
          package: {
            ecosystem: 'Red Hat:enterprise_linux:9::appstream',
            name: 'openssl',
            purl: 'pkg:rpm/redhat/openssl?arch=src&epoch=1'
          },
          ranges: range('1:3.0.7-25.el9_3')
        },
        {
          package: {
            ecosystem: 'Red Hat:enterprise_linux:9::baseos',
            name: 'openssl-libs',
            purl: 'pkg:rpm/redhat/openssl-libs?arch=x86_64&epoch=1'
          },
          ranges: range('1:3.0.7-25.el9_3')
        }
      ]
    }
  },
  {
    // Red Hat writes the epoch even when it is 0 (`0:2.9.13-5.el9_3.1`); the rpm database has none.
    release: 'ubi9',
    pkg: {
      type: 'rpm',
      name: 'libxml2',
      version: '2.9.13-5.el9_3',
      source: 'libxml2',
      sourceVersion: '2.9.13-5.el9_3',
      arch: 'x86_64'
    },
    fixedPkg: { version: '2.9.13-5.el9_3.1', sourceVersion: '2.9.13-5.el9_3.1' },
    fixed: '0:2.9.13-5.el9_3.1',
    record: {
      id: 'RHSA-2024:2679',
      upstream: ['CVE-2024-25062'],
      affected: [
        {
          package: { ecosystem: 'Red Hat:enterprise_linux:9::appstream', name: 'libxml2' },
          ranges: range('0:2.9.13-5.el9_3.1')
        }
      ]
    }
  },
  {
    // An epoch on the binary and none in SOURCERPM: the source package is compared with the binary's epoch.
    release: 'rockylinux:8',
    pkg: {
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:1.1.1k-9.el8_7',
      source: 'openssl',
      sourceVersion: '1.1.1k-9.el8_7',
      arch: 'x86_64'
    },
    fixedPkg: { version: '1:1.1.1k-12.el8_9', sourceVersion: '1.1.1k-12.el8_9' },
    fixed: '1:1.1.1k-12.el8_9',
    record: {
      id: 'RLSA-2024:0047',
      affected: [
        {
          package: { ecosystem: 'Rocky Linux:8', name: 'openssl' },
          ranges: range('1:1.1.1k-12.el8_9'),
          ecosystem_specific: { rocky_version: '8.9' }
        }
      ]
    }
  },
  {
    release: 'rockylinux:9',
    pkg: {
      type: 'rpm',
      name: 'glibc-minimal-langpack',
      version: '2.34-83.el9.7',
      source: 'glibc',
      sourceVersion: '2.34-83.el9.7',
      arch: 'x86_64'
    },
    fixedPkg: { version: '2.34-100.el9_4.2', sourceVersion: '2.34-100.el9_4.2' },
    fixed: '2.34-100.el9_4.2',
    record: {
      id: 'RLSA-2024:3339',
      affected: [
        { package: { ecosystem: 'Rocky Linux:9', name: 'glibc' }, ranges: range('2.34-100.el9_4.2') }
      ]
    }
  },
  {
    release: 'almalinux:9',
    pkg: {
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:3.0.7-24.el9',
      source: 'openssl',
      sourceVersion: '3.0.7-24.el9',
      arch: 'x86_64'
    },
    fixedPkg: { version: '1:3.0.7-27.el9', sourceVersion: '3.0.7-27.el9' },
    fixed: '1:3.0.7-27.el9',
    record: {
      id: 'ALSA-2024:2447',
      related: ['CVE-2023-2975'],
      summary: 'Moderate: openssl and openssl-fips-provider security update',
      affected: [{ package: { ecosystem: 'AlmaLinux:9', name: 'openssl' }, ranges: range('1:3.0.7-27.el9') }]
    }
  },
  {
    release: 'cbl-mariner/base/core:2.0',
    pkg: {
      type: 'rpm',
      name: 'zlib',
      version: '1.2.13-1.cm2',
      source: 'zlib',
      sourceVersion: '1.2.13-1.cm2',
      arch: 'x86_64'
    },
    fixedPkg: { version: '1.2.13-2.cm2', sourceVersion: '1.2.13-2.cm2' },
    fixed: '1.2.13-2.cm2',
    record: {
      id: 'AZL-14002',
      upstream: ['CVE-2023-45853'],
      affected: [{ package: { ecosystem: 'Azure Linux:2', name: 'zlib' }, ranges: range('1.2.13-2.cm2') }]
    }
  },
  {
    release: 'azurelinux/base/core:3.0',
    pkg: {
      type: 'rpm',
      name: 'openssl-libs',
      version: '3.3.0-1.azl3',
      source: 'openssl',
      sourceVersion: '3.3.0-1.azl3',
      arch: 'x86_64'
    },
    fixedPkg: { version: '3.3.2-1.azl3', sourceVersion: '3.3.2-1.azl3' },
    fixed: '3.3.2-1.azl3',
    record: {
      id: 'AZL-47256',
      upstream: ['CVE-2024-5535'],
      affected: [
        {
          package: { ecosystem: 'Azure Linux:3', name: 'openssl', purl: 'pkg:rpm/microsoft/openssl' },
          ranges: range('3.3.2-1.azl3')
        }
      ]
    }
  },
  {
    release: 'bci/bci-base:15.5 (SLES)',
    pkg: {
      type: 'rpm',
      name: 'libopenssl3',
      version: '3.0.8-150500.5.14.1',
      source: 'openssl-3',
      sourceVersion: '3.0.8-150500.5.14.1',
      arch: 'x86_64'
    },
    fixedPkg: { version: '3.0.8-150500.5.20.1', sourceVersion: '3.0.8-150500.5.20.1' },
    fixed: '3.0.8-150500.5.20.1',
    record: {
      id: 'SUSE-SU-2024:0001-1',
      upstream: ['CVE-2023-6129'],
      affected: [
        {
          package: {
            ecosystem: 'SUSE:Linux Enterprise Module for Basesystem 15 SP5',
            name: 'openssl-3',
            purl: 'pkg:rpm/suse/openssl-3&distro=SUSE%20Linux%20Enterprise%20Module%20for%20Basesystem%2015%20SP5'
          },
          ranges: range('3.0.8-150500.5.20.1'),
          ecosystem_specific: {
            binaries: [{ libopenssl3: '3.0.8-150500.5.20.1', 'openssl-3': '3.0.8-150500.5.20.1' }]
          }
        }
      ]
    }
  },
  {
    release: 'opensuse/leap:15.5',
    pkg: {
      type: 'rpm',
      name: 'libopenssl1_1',
      version: '1.1.1l-150500.17.19.1',
      source: 'openssl-1_1',
      sourceVersion: '1.1.1l-150500.17.19.1',
      arch: 'x86_64'
    },
    fixedPkg: { version: '1.1.1l-150500.17.25.1', sourceVersion: '1.1.1l-150500.17.25.1' },
    fixed: '1.1.1l-150500.17.25.1',
    record: {
      id: 'SUSE-SU-2024:0319-1',
      upstream: ['CVE-2023-5678'],
      affected: [
        {
          package: {
            ecosystem: 'openSUSE:Leap 15.5',
            name: 'openssl-1_1',
            purl: 'pkg:rpm/opensuse/openssl-1_1&distro=openSUSE%20Leap%2015.5'
          },
          ranges: range('1.1.1l-150500.17.25.1'),
          ecosystem_specific: { binaries: [{ libopenssl1_1: '1.1.1l-150500.17.25.1' }] }
        }
      ]
    }
  },
  {
    release: 'opensuse/tumbleweed',
    pkg: {
      type: 'rpm',
      name: 'libopenssl3',
      version: '3.1.4-1.1',
      source: 'openssl-3',
      sourceVersion: '3.1.4-1.1',
      arch: 'x86_64'
    },
    fixedPkg: { version: '3.1.4-2.1', sourceVersion: '3.1.4-2.1' },
    fixed: '3.1.4-2.1',
    record: {
      id: 'openSUSE-SU-2024:13532-1',
      affected: [
        {
          package: {
            ecosystem: 'openSUSE:Tumbleweed',
            name: 'openssl-3',
            purl: 'pkg:rpm/opensuse/openssl-3&distro=openSUSE%20Tumbleweed'
          },
          ranges: range('3.1.4-2.1')
        }
      ]
    }
  },
  {
    release: 'wolfi',
    pkg: {
      type: 'apk',
      name: 'libcrypto3',
      version: '3.1.4-r0',
      source: 'openssl',
      sourceVersion: '3.1.4-r0'
    },
    fixedPkg: { version: '3.1.4-r1', sourceVersion: '3.1.4-r1' },
    fixed: '3.1.4-r1',
    record: {
      id: 'CGA-2q9x-3x9v-5g8r',
      aliases: ['CVE-2023-5678'],
      affected: [{ package: { ecosystem: 'Wolfi', name: 'openssl' }, ranges: range('3.1.4-r1') }]
    }
  },
  {
    release: 'chainguard',
    pkg: { type: 'apk', name: 'glibc', version: '2.38-r5', source: 'glibc', sourceVersion: '2.38-r5' },
    fixedPkg: { version: '2.39-r1', sourceVersion: '2.39-r1' },
    fixed: '2.39-r1',
    record: {
      id: 'CGA-7m4w-6h5f-xg3q',
      aliases: ['CVE-2024-2961'],
      affected: [{ package: { ecosystem: 'Chainguard', name: 'glibc' }, ranges: range('2.39-r1') }]
    }
  },
  {
    release: 'minimos',
    pkg: {
      type: 'apk',
      name: 'libcurl-openssl4',
      version: '8.9.1-r0',
      source: 'curl',
      sourceVersion: '8.9.1-r0'
    },
    fixedPkg: { version: '8.10.0-r0', sourceVersion: '8.10.0-r0' },
    fixed: '8.10.0-r0',
    record: {
      id: 'MINI-2x7q-9c4m-jv3w',
      aliases: ['CVE-2024-8096'],
      affected: [{ package: { ecosystem: 'MinimOS', name: 'curl' }, ranges: range('8.10.0-r0') }]
    }
  },
  {
    release: 'photon:5.0',
    pkg: {
      type: 'rpm',
      name: 'openssl-libs',
      version: '3.0.9-3.ph5',
      source: 'openssl',
      sourceVersion: '3.0.9-3.ph5',
      arch: 'x86_64'
    },
    fixedPkg: { version: '3.0.9-4.ph5', sourceVersion: '3.0.9-4.ph5' },
    fixed: '3.0.9-4.ph5',
    record: {
      id: 'PHSA-2023-5.0-0123',
      affected: [{ package: { ecosystem: 'Photon OS:5.0', name: 'openssl' }, ranges: range('3.0.9-4.ph5') }]
    }
  },
  {
    release: 'mageia:9',
    pkg: {
      type: 'rpm',
      name: 'lib64openssl3',
      version: '3.0.12-1.mga9',
      source: 'openssl',
      sourceVersion: '3.0.12-1.mga9',
      arch: 'x86_64'
    },
    fixedPkg: { version: '3.0.13-1.mga9', sourceVersion: '3.0.13-1.mga9' },
    fixed: '3.0.13-1.mga9',
    record: {
      id: 'MGASA-2024-0037',
      affected: [{ package: { ecosystem: 'Mageia:9', name: 'openssl' }, ranges: range('3.0.13-1.mga9') }]
    }
  },
  {
    release: 'openeuler:22.03-lts-sp3',
    pkg: {
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:1.1.1wa-2.oe2203sp3',
      source: 'openssl',
      sourceVersion: '1.1.1wa-2.oe2203sp3',
      arch: 'x86_64'
    },
    fixedPkg: { version: '1:1.1.1wa-3.oe2203sp3', sourceVersion: '1.1.1wa-3.oe2203sp3' },
    fixed: '1:1.1.1wa-3.oe2203sp3',
    record: {
      id: 'OESA-2024-1234',
      affected: [
        {
          package: { ecosystem: 'openEuler:22.03-LTS-SP3', name: 'openssl' },
          ranges: range('1:1.1.1wa-3.oe2203sp3')
        }
      ]
    }
  }
]

const dbPath = (t: RawPackage['type']): string =>
  t === 'deb' ? 'var/lib/dpkg/status' : t === 'apk' ? 'lib/apk/db/installed' : 'var/lib/rpm/rpmdb.sqlite'

function inventoryOf(c: Case, version?: { version: string; sourceVersion?: string }) {
  const os = detectOs(new Map(Object.entries(RELEASES[c.release].files)))
  if (!os) throw new Error(`no OS detected for ${c.release}`)
  const raw: RawPackage = { path: c.pkg.path ?? dbPath(c.pkg.type), ...c.pkg, ...(version ?? {}) }
  return { os, pkg: toInventoryPackage(raw, os, undefined) }
}

let dir: string
let server: OsvServer
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'si-distros-'))
  // osv.dev's export: one folder per ecosystem (`Red Hat/`, `Rocky Linux/`, …), one JSON file per record.
  for (const c of CASES) {
    const folder = path.join(dir, baseEcosystem(c.record.affected![0].package!.ecosystem))
    mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, `${c.record.id.replace(/:/g, '_')}.json`), JSON.stringify(c.record))
  }
  server = await startOsvServer({ records: CASES.map((c) => c.record) })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('OS ecosystems as osv.dev names them', () => {
  it.each(Object.entries(RELEASES))('%s → its OSV ecosystem', (_, release) => {
    const os = detectOs(new Map(Object.entries(release.files)))
    expect(os?.ecosystem).toBe(release.ecosystem)
    expect(os?.ecosystems).toEqual(release.ecosystems)
  })
})

describe.each(CASES.map((c) => [`${c.release} ${c.pkg.name}`, c] as const))('%s', (_, c) => {
  const sources = {
    offline: () => createOfflineSource(dir),
    'the OSV API': () => createApiSource(server.url, { retries: 0 })
  }
  it.each(Object.keys(sources) as (keyof typeof sources)[])(
    'matches through %s, and not once fixed',
    async (how) => {
      const { os, pkg } = inventoryOf(c)
      expect(pkg.ecosystem).toBe(RELEASES[c.release].ecosystem)
      const coverage = newMatchCoverage()
      const findings = await matchVulnerabilities([pkg], sources[how](), { os, coverage })
      expect(findings.map((f) => [f.ruleId, f.vulnerability?.fixedVersion])).toEqual([[c.record.id, c.fixed]])
      expect(findings[0].package).toMatchObject({
        name: c.pkg.name,
        version: pkg.version,
        ecosystem: pkg.ecosystem
      })
      expect(coverage).toMatchObject({ checked: 1, uncoveredOs: 0 })

      const upgraded = inventoryOf(c, c.fixedPkg)
      expect(await matchVulnerabilities([upgraded.pkg], sources[how](), { os: upgraded.os })).toEqual([])
    }
  )
})

describe('releases are matched exactly', () => {
  it('a record of another release of the same distribution does not match', async () => {
    const c = CASES.find((x) => x.release === 'rockylinux:9')!
    const { os, pkg } = inventoryOf(c)
    const other: OsvRecord = {
      ...c.record,
      id: 'RLSA-2024:9999',
      affected: [{ package: { ecosystem: 'Rocky Linux:8', name: 'glibc' }, ranges: range('2.99-1.el8') }]
    }
    const src = await startOsvServer({ records: [other] })
    try {
      expect(await matchVulnerabilities([pkg], createApiSource(src.url, { retries: 0 }), { os })).toEqual([])
    } finally {
      await src.close()
    }
  })
})
