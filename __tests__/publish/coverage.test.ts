/**
 * Coverage in every rendering: the PR comment and summary (Markdown), the CLI text and SARIF. A scan without
 * vulnerabilities is called clean only when everything was checked.
 */
import { describe, expect, it } from '@jest/globals'
import { evaluateGate, type Finding, type Report, type ReportCoverage } from '../../src/findings.js'
import { renderComment } from '../../src/publish/comment.js'
import { coverageVerdict } from '../../src/publish/coverage.js'
import { toSarif } from '../../src/publish/sarif.js'
import { renderSummary } from '../../src/publish/summary.js'
import { renderText } from '../../src/publish/text.js'
import { vuln } from './make.js'

const COMPLETE: ReportCoverage = {
  os: { id: 'debian', name: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12', covered: true },
  databases: [{ path: 'var/lib/dpkg/status', format: 'dpkg', packages: 88, read: true }],
  skipped: [],
  ecosystemsWithoutAdvisories: [],
  packages: 90,
  checked: 90,
  complete: true
}

const GAPS: ReportCoverage = {
  os: { id: 'centos', name: 'CentOS Linux 7 (Core)', covered: false },
  databases: [
    {
      path: 'var/lib/rpm/Packages',
      format: 'rpm-bdb',
      packages: 0,
      read: false,
      error: 'no reader for the rpm-bdb format'
    }
  ],
  skipped: [{ path: 'app/app.jar', reason: '40000000 bytes, over the 33554432-byte limit' }],
  ecosystemsWithoutAdvisories: [{ ecosystem: 'npm', packages: 3 }],
  packages: 3,
  checked: 0,
  complete: false
}

const gap = (ruleId: string, message: string): Finding => ({
  category: 'coverage',
  ruleId,
  severity: 'high',
  message
})

function reportWith(coverage: ReportCoverage | undefined, findings: Finding[] = []): Report {
  const r: Report = {
    tool: { name: 'secure-image', version: '1.2.3' },
    image: { ref: 'ghcr.io/octo/app:pr-1', id: 'sha256:' + 'b'.repeat(64) },
    findings,
    gate: evaluateGate(findings, 'high')
  }
  if (coverage) r.coverage = coverage
  return r
}

const md = { image: 'ghcr.io/octo/app', pushed: false, refs: [] }

describe('the clean message', () => {
  it('says "no known vulnerabilities" only when everything was checked', () => {
    expect(coverageVerdict(reportWith(COMPLETE))).toBe(
      'No known vulnerabilities: everything was checked (90 of 90 packages checked, 1 of 1 package database read, OS Debian GNU/Linux 12 (bookworm) (Debian:12)).'
    )
    const partial = coverageVerdict(reportWith(GAPS, [gap('SI6001', 'x')]))
    expect(partial).toMatch(/^No vulnerabilities found, but not everything was checked/)
    expect(partial).not.toMatch(/No known vulnerabilities/)
    expect(partial).toMatch(/CentOS Linux 7 \(Core\): no advisory source covers this OS/)
    expect(partial).toMatch(/var\/lib\/rpm\/Packages \(rpm-bdb\) not read/)
    expect(partial).toMatch(/app\/app\.jar skipped/)
    expect(partial).toMatch(/no advisories for npm \(3 packages\)/)
    // Without a scan there is no verdict at all.
    expect(coverageVerdict(reportWith(undefined))).toBeUndefined()
  })

  it('counts vulnerabilities that are not ignored', () => {
    const r = reportWith(GAPS, [vuln('CVE-2024-1')])
    expect(coverageVerdict(r)).toMatch(/^1 vulnerability found, and not everything was checked/)
    const ignored = reportWith(COMPLETE, [
      { ...vuln('CVE-2024-1'), suppressed: { source: 'config', reason: 'r' } }
    ])
    expect(coverageVerdict(ignored)).toMatch(/^No known vulnerabilities/)
  })
})

describe('Markdown (PR comment and job summary)', () => {
  it('shows the gaps under the verdict, and a coverage row in the counts', () => {
    const r = reportWith(GAPS, [gap('SI6001', 'CentOS Linux 7 (Core): no advisory source covers this OS')])
    for (const body of [renderComment(r, md), renderSummary(r, md)]) {
      expect(body).toMatch(/\*\*⚠️ Coverage: not everything was checked\*\*/)
      expect(body).toMatch(/so finding no vulnerabilities does not mean there are none/)
      expect(body).toMatch(/^- app\/app\.jar skipped: 40000000 bytes/m)
      expect(body).toMatch(/^\| Coverage gaps \| 0 \| 1 \| 0 \| 0 \| 0 \| 1 \|$/m)
      expect(body).toMatch(/<summary><b>Coverage gaps<\/b>/)
      expect(body).not.toMatch(/No known vulnerabilities/)
    }
  })

  it('says everything was checked when it was', () => {
    const body = renderComment(reportWith(COMPLETE), md)
    expect(body).toMatch(/\*\*Coverage:\*\* No known vulnerabilities: everything was checked/)
    expect(body).not.toMatch(/not everything/)
  })

  it('escapes paths and names from the image', () => {
    const hostile: ReportCoverage = {
      ...GAPS,
      skipped: [{ path: 'app/<img src=x>*bold*.jar', reason: '[link](http://x)' }]
    }
    const body = renderComment(reportWith(hostile), md)
    expect(body).not.toMatch(/<img/)
    expect(body).not.toMatch(/\]\(http/)
  })
})

describe('text', () => {
  it('prints the verdict line, and never calls a partial scan clean', () => {
    const clean = renderText(reportWith(COMPLETE))
    expect(clean).toMatch(/^No known vulnerabilities: everything was checked/m)
    const partial = renderText(reportWith(GAPS, [gap('SI6003', 'app/app.jar was skipped')]))
    expect(partial).toMatch(/^No vulnerabilities found, but not everything was checked/m)
    expect(partial).toMatch(/SI6003/)
    expect(partial).toMatch(/Gate failed: 1 at or above the threshold/)
  })
})

describe('SARIF', () => {
  it('carries the coverage section, a warning per gap, and the gaps as results', () => {
    const r = reportWith(GAPS, [gap('SI6002', 'var/lib/rpm/Packages could not be read')])
    const run = toSarif(r, { category: 'secure-image/app', dockerfilePath: 'Dockerfile' }).runs[0]
    expect(run.properties?.coverage).toEqual(GAPS)
    const notes = run.invocations?.[0].toolExecutionNotifications ?? []
    expect(notes.map((n) => [n.level, n.message.text])).toEqual([
      ['warning', 'not checked: CentOS Linux 7 (Core): no advisory source covers this OS'],
      ['warning', 'not checked: var/lib/rpm/Packages (rpm-bdb) not read: no reader for the rpm-bdb format'],
      ['warning', 'not checked: app/app.jar skipped: 40000000 bytes, over the 33554432-byte limit'],
      ['warning', 'not checked: no advisories for npm (3 packages)']
    ])
    expect(run.invocations?.[0].executionSuccessful).toBe(true)
    expect(run.results?.map((x) => [x.ruleId, x.level, x.properties?.category])).toEqual([
      ['SI6002', 'error', 'coverage']
    ])
  })

  it('has no notifications when everything was checked', () => {
    const run = toSarif(reportWith(COMPLETE), { category: 'x' }).runs[0]
    expect(run.invocations?.[0].toolExecutionNotifications).toBeUndefined()
    expect(run.properties?.coverage).toMatchObject({ complete: true })
  })
})
