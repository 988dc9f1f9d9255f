/** The bundled CLI (dist/cli.cjs) as a developer runs it. */
import { describe, it, expect } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { SCAN_FLAGS, SCAN_VALUE_OPTIONS, scanTarget } from '../src/cli-early.js'

const CLI = path.resolve('dist/cli.cjs')

function cli(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    input: opts.input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
    timeout: 180_000
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

interface JsonReport {
  tool: { name: string; version: string }
  findings: {
    category: string
    ruleId: string
    severity: string
    message: string
    location?: { path: string; startLine: number }
  }[]
  gate: { passed: boolean; threshold: string; failing: number }
}

describe('secure-image CLI', () => {
  it('prints its version and help, exit 0', () => {
    const v = cli(['--version'])
    expect(v.code).toBe(0)
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    const h = cli(['--help'])
    expect(h.code).toBe(0)
    for (const c of ['lint', 'policy', 'scan', 'run', 'rules']) expect(h.stdout).toContain(c)
  })

  it('exits 2 with one line on a usage error', () => {
    const r = cli(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    const f = cli(['lint', 'examples/app/Dockerfile', '--format', 'yaml'])
    expect(f.code).toBe(2)
  })

  it('exits 2 with one line and no stack on a runtime error, the stack with --debug', () => {
    const r = cli(['lint', 'no/such/Dockerfile'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('no/such/Dockerfile')
    expect(r.stderr).not.toMatch(/\s+at /)
  })

  it('lints to the JSON report contract, with locations as given', () => {
    const r = cli(['lint', 'examples/app/Dockerfile.bad', '--format', 'json'])
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as JsonReport
    expect(report.tool.name).toBe('secure-image')
    expect(report.gate.passed).toBe(false)
    expect(report.findings.length).toBeGreaterThan(3)
    for (const f of report.findings) {
      expect(f.category).toBe('lint')
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(f.severity)
      expect(f.location?.path).toBe('examples/app/Dockerfile.bad')
      expect(f.location?.startLine).toBeGreaterThan(0)
    }
    const good = cli(['lint', 'examples/app/Dockerfile', '--format', 'json'])
    expect(good.code).toBe(0)
  })

  it('lists the rules as JSON, at least 60 of them hadolint DL rules', () => {
    const r = cli(['rules', '--format', 'json'])
    expect(r.code).toBe(0)
    const rules = JSON.parse(r.stdout) as { id: string; severity: string; description: string }[]
    const dl = rules.filter((x) => /^DL\d{4}$/.test(x.id))
    expect(dl.length).toBeGreaterThanOrEqual(60)
    for (const x of rules) {
      expect(x.description.length).toBeGreaterThan(5)
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(x.severity)
    }
  })

  it('checks the policy of several files, with build args', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'si-cli-'))
    writeFileSync(path.join(dir, 'a.Dockerfile'), 'ARG BASE=node:20\nFROM ${BASE}\n')
    writeFileSync(
      path.join(dir, 'b.Dockerfile'),
      'FROM ghcr.io/acme/base:1\nCOPY --from=quay.io/x/y:1 /a /a\n'
    )
    const ok = cli(['policy', 'a.Dockerfile', '--format', 'json'], { cwd: dir })
    expect(ok.code).toBe(0)
    const bad = cli(
      ['policy', 'a.Dockerfile', 'b.Dockerfile', '--build-arg', 'BASE=evil.io/node:20', '--format', 'json'],
      { cwd: dir }
    )
    expect(bad.code).toBe(1)
    const report = JSON.parse(bad.stdout) as JsonReport
    const where = report.findings
      .filter((f) => f.severity === 'critical')
      .map((f) => `${f.location?.path}:${f.location?.startLine}`)
    expect(where.sort()).toEqual(['a.Dockerfile:2', 'b.Dockerfile:1', 'b.Dockerfile:2'])
    const allowed = cli(['policy', 'b.Dockerfile', '--allowed-registries', 'ghcr.io/acme,quay.io/x'], {
      cwd: dir
    })
    expect(allowed.code).toBe(0)
  })

  it('scans a local image against an offline OSV directory, and writes CycloneDX', () => {
    const r = cli([
      'scan',
      'debian:bookworm',
      '--osv-db',
      'examples/osv-db',
      '--format',
      'json',
      '--severity-threshold',
      'critical'
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as JsonReport & { image: { id: string } }
    expect(report.image.id).toMatch(/^sha256:/)
    const vulns = report.findings.filter((f) => f.category === 'vulnerability').map((f) => f.ruleId)
    expect(vulns).toEqual(
      expect.arrayContaining(['DEBIAN-CVE-2011-3374', 'DEBIAN-CVE-2022-0563', 'DEBIAN-CVE-2005-2541'])
    )
    const sbom = cli(['scan', 'debian:bookworm', '--osv-db', 'examples/osv-db', '--format', 'cyclonedx'])
    const bom = JSON.parse(sbom.stdout) as {
      bomFormat: string
      specVersion: string
      components: { type: string; purl?: string }[]
    }
    expect(bom.bomFormat).toBe('CycloneDX')
    expect(bom.specVersion).toBe('1.6')
    expect(bom.components.length).toBeGreaterThan(50)
    const libraries = bom.components.filter((c) => c.type !== 'operating-system')
    expect(libraries.length).toBeGreaterThan(50)
    expect(libraries.every((c) => typeof c.purl === 'string' && c.purl.startsWith('pkg:deb/debian/'))).toBe(
      true
    )
  })

  it('exits 2 naming the image when it is not in the engine', () => {
    const r = cli(['scan', 'no-such-image:never', '--osv-db', 'examples/osv-db'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no-such-image:never')
  })

  it('exits at once on a usage error after scan, though the export was already asked for', () => {
    const started = Date.now()
    const r = cli(['scan', 'debian:bookworm', '--format', 'bogus'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/'bogus' is invalid/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('reads the image of a scan command line before the CLI loads, by the options scan has', () => {
    const help = cli(['scan', '--help']).stdout
    const options = [...help.matchAll(/^\s+(--[a-z-]+)( <[a-z]+>)?/gm)].map(
      (m) => [m[1], Boolean(m[2])] as const
    )
    expect(options.length).toBeGreaterThan(5)
    expect(options.filter(([, v]) => v).map(([o]) => o)).toEqual(SCAN_VALUE_OPTIONS)
    for (const [o, v] of options) if (!v && o !== '--help') expect(SCAN_FLAGS).toContain(o)
    expect(scanTarget(['scan', 'img:1', '--osv-db', 'db', '--format=json', '--ignore-unfixed'])).toBe('img:1')
    expect(scanTarget(['--debug', 'scan', '--dockerfile', 'Dockerfile', 'img@sha256:ab'])).toBe(
      'img@sha256:ab'
    )
    expect(scanTarget(['scan', '--help'])).toBeUndefined()
    expect(scanTarget(['scan', 'a', 'b'])).toBeUndefined()
    expect(scanTarget(['scan', '--new-option', 'x', 'img'])).toBeUndefined()
    expect(scanTarget(['lint', 'Dockerfile'])).toBeUndefined()
  })
})
