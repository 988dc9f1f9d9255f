// Vulnerability matching benchmark: ~1,000 inventory packages against an offline OSV directory of ~50,000
// generated records, as per-ecosystem all.zip files and as loose JSON files. Load and match are timed apart.
// Run: node --import tsx bench/match.mjs [records] [packages]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { writeZip } from '../__tests__/helpers/zip.ts'
import { matchVulnerabilities } from '../src/scan/match.ts'
import { createOfflineSource } from '../src/scan/osv/offline.ts'

const RECORDS = Number(process.argv[2] ?? 50000)
const PACKAGES = Number(process.argv[3] ?? 1000)

// A deterministic generator, so every run measures the same data.
let seed = 42
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return Math.floor((seed / 2147483648) * n)
}

const ECOSYSTEMS = [
  {
    eco: 'Debian:12',
    share: 0.4,
    names: 3000,
    ver: (a, b) => `${a}.${b}-1+deb12u${b % 5}`,
    type: 'ECOSYSTEM'
  },
  { eco: 'npm', share: 0.35, names: 15000, ver: (a, b) => `${a}.${b}.0`, type: 'SEMVER' },
  { eco: 'PyPI', share: 0.25, names: 8000, ver: (a, b) => `${a}.${b}.0`, type: 'ECOSYSTEM' }
]

function record(i, e) {
  const name = `${e.eco.split(':')[0].toLowerCase()}-pkg-${rand(e.names)}`
  const a = 1 + rand(5)
  const events = [{ introduced: rand(3) === 0 ? '0' : e.ver(a, rand(5)) }]
  if (rand(4) !== 0) events.push({ fixed: e.ver(a + 1 + rand(2), rand(9)) })
  return {
    id: `BENCH-${e.eco.replace(/[^A-Za-z0-9]/g, '')}-${i}`,
    modified: '2026-01-01T00:00:00Z',
    aliases: [`CVE-2026-${100000 + i}`],
    summary: `generated advisory ${i}`,
    severity: rand(2)
      ? [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }]
      : undefined,
    affected: [{ package: { ecosystem: e.eco, name }, ranges: [{ type: e.type, events }] }]
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'osv-bench-'))
try {
  const zipDir = path.join(dir, 'zip')
  const jsonDir = path.join(dir, 'json')
  let t = performance.now()
  let n = 0
  for (const e of ECOSYSTEMS) {
    const count = Math.round(RECORDS * e.share)
    const recs = Array.from({ length: count }, () => record(n++, e))
    const zdir = path.join(zipDir, e.eco)
    mkdirSync(zdir, { recursive: true })
    writeFileSync(
      path.join(zdir, 'all.zip'),
      writeZip(recs.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })))
    )
    const jdir = path.join(jsonDir, e.eco)
    mkdirSync(jdir, { recursive: true })
    for (const r of recs) writeFileSync(path.join(jdir, `${r.id}.json`), JSON.stringify(r))
  }
  const genMs = performance.now() - t

  const packages = Array.from({ length: PACKAGES }, (_, i) => {
    const e = ECOSYSTEMS[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : 2]
    const base = e.eco.split(':')[0].toLowerCase()
    const name = `${base}-pkg-${rand(e.names)}`
    const version = e.ver(1 + rand(6), rand(9))
    return e.eco === 'Debian:12'
      ? { type: 'deb', name: `lib${name}`, version, source: name, sourceVersion: version, ecosystem: e.eco }
      : { type: e.eco === 'npm' ? 'npm' : 'pypi', name, version, ecosystem: e.eco }
  })
  const ecosystems = [...new Set(packages.map((p) => p.ecosystem))]

  const run = async (label, root) => {
    const src = createOfflineSource(root)
    t = performance.now()
    const loaded = src.load(ecosystems)
    const loadMs = performance.now() - t
    t = performance.now()
    const findings = await matchVulnerabilities(packages, src)
    const matchMs = performance.now() - t
    t = performance.now()
    await matchVulnerabilities(packages, src)
    const again = performance.now() - t
    console.log(
      `${label.padEnd(10)} load ${loadMs.toFixed(0).padStart(6)} ms (${loaded} records)   match ${matchMs.toFixed(0).padStart(5)} ms` +
        ` (${findings.length} findings; again ${again.toFixed(0)} ms)`
    )
    return findings
  }

  console.log(
    `${n} records in ${ECOSYSTEMS.length} ecosystems, ${packages.length} packages (generated in ${genMs.toFixed(0)} ms)`
  )
  const a = await run('all.zip', zipDir)
  const b = await run('json dir', jsonDir)
  if (JSON.stringify(a) !== JSON.stringify(b))
    throw new Error('all.zip and JSON directory gave different findings')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
