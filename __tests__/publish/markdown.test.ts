import { describe, it, expect } from '@jest/globals'
import { ChangedLines } from '../../src/publish/changes.js'
import { COMMENT_LIMIT, commentMarker, renderComment } from '../../src/publish/comment.js'
import { renderMarkdown } from '../../src/publish/markdown.js'
import { renderSummary } from '../../src/publish/summary.js'
import type { Finding, Severity } from '../../src/findings.js'
import { HOSTILE, lint, report, vuln } from './make.js'

/** Markdown with its code spans removed (CommonMark: a backtick run, then the same run closes it). */
function withoutCodeSpans(md: string): string {
  return md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '')
}

const base = { image: 'ghcr.io/octo/app', pushed: false, refs: [] as string[] }

describe('renderMarkdown', () => {
  it('starts with the verdict and a table of counts per category and severity', () => {
    const r = report([lint(1), lint(2, { severity: 'high' }), vuln('CVE-1', { severity: 'critical' })])
    const md = renderMarkdown(r, { ...base, limit: 100000 })
    const lines = md.split('\n')
    expect(lines[0]).toBe('### ❌ secure-image: `ghcr.io/octo/app` failed the gate (threshold: high)')
    expect(lines[1]).toBe('**Not pushed**: nothing is pushed unless the gate passes.')
    expect(md).toContain('| Dockerfile lint | 0 | 1 | 1 | 0 | 0 | 2 |')
    expect(md).toContain('| Vulnerabilities | 1 | 0 | 0 | 0 | 0 | 1 |')
    expect(md).toContain('| **Total** | **1** | **1** | **1** | **0** | **0** | **3** |')
  })

  it('says what was pushed when the gate passed', () => {
    const r = report([lint(1, { severity: 'low' })])
    r.image!.digest = 'sha256:' + 'c'.repeat(64)
    const md = renderMarkdown(r, { ...base, pushed: true, refs: ['ghcr.io/octo/app:1.0'], limit: 100000 })
    expect(md.split('\n')[0]).toBe(
      '### ✅ secure-image: `ghcr.io/octo/app` passed the gate (threshold: high)'
    )
    expect(md).toContain('**Pushed** `ghcr.io/octo/app:1.0` at `sha256:ccc')
  })

  it('lists new and fixable findings first in each stage, and ignored findings last', () => {
    const changed = ChangedLines.fromPullFiles([{ filename: 'Dockerfile', patch: '@@ -8,0 +9,1 @@\n+RUN x' }])
    const r = report([
      vuln('CVE-OLD-UNFIXED', {
        severity: 'critical',
        vulnerability: { id: 'CVE-OLD-UNFIXED', aliases: [] }
      }),
      vuln('CVE-OLD-FIXABLE', { severity: 'low' }),
      vuln('CVE-NEW', { severity: 'low', location: { path: 'Dockerfile', startLine: 9 } }),
      vuln('CVE-IGNORED', {
        severity: 'critical',
        suppressed: { source: '.trivyignore', reason: 'not reachable' }
      })
    ])
    const md = renderMarkdown(r, { ...base, limit: 100000, changed })
    const order = ['CVE-NEW', 'CVE-OLD-FIXABLE', 'CVE-OLD-UNFIXED', 'CVE-IGNORED'].map((id) =>
      md.indexOf(`\`${id}\``)
    )
    expect(order.every((i) => i > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(md).toContain('low 🆕')
    expect(md).toMatch(/<summary><b>Ignored<\/b>: 1 finding/)
    expect(md).toContain('.trivyignore: not reachable')
    expect(md.indexOf('<summary><b>Vulnerabilities</b>')).toBeLessThan(md.indexOf('<summary><b>Ignored</b>'))
  })

  it('renders hostile finding text harmless', () => {
    const r = report([lint(2, { message: HOSTILE, help: HOSTILE, ruleId: '@org/team`|<img>' })])
    for (const md of [
      renderMarkdown(r, { ...base, limit: 100000 }),
      renderComment(r, base),
      renderSummary(r, base)
    ]) {
      // Outside code spans (where text is literal: the rule id here) nothing can mention, link or inject HTML.
      const prose = withoutCodeSpans(md)
      expect(prose).not.toContain('@org/team')
      expect(prose).not.toContain('<img')
      expect(withoutCodeSpans(md.split('\n').find((l) => l.includes('pwned'))!)).toContain('@\u200borg/team')
      expect(md).not.toMatch(/^::/m)
      expect(md).not.toContain('](https://')
      const row = md.split('\n').find((l) => l.includes('pwned'))!
      // a table row with exactly the 5 cells: escaped pipes do not split it
      expect(row.split(/(?<!\\)\|/).length - 2).toBe(5)
    }
  })

  it('truncates the least severe rows to stay under the limit, and says so', () => {
    const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info']
    const findings: Finding[] = []
    for (let i = 0; i < 200; i++) {
      findings.push(
        lint(i + 1, { severity: severities[i % 5], ruleId: `SI${1000 + i}`, message: 'x'.repeat(350) })
      )
    }
    const r = report(findings)
    const full = renderMarkdown(r, { ...base, limit: 10_000_000 })
    expect(full.length).toBeGreaterThan(70000)
    const md = renderComment(r, base)
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(md.length).toBeGreaterThan(COMMENT_LIMIT - 1000) // it keeps as much as fits
    expect(md.startsWith(commentMarker('ghcr.io/octo/app'))).toBe(true)
    // Every critical and high row is kept; what was dropped are the least severe.
    for (let i = 0; i < 200; i++) {
      const kept = md.includes(`\`SI${1000 + i}\``)
      if (i % 5 <= 1) expect(kept).toBe(true)
      if (i % 5 === 4) expect(kept).toBe(false)
    }
    expect(md).toMatch(
      /_\d+ less severe findings not shown here \(a PR comment is limited to 65,536 characters\); all of them are in the job summary, the SARIF file and the JSON report\._/
    )
    // The counts table still counts everything.
    expect(md).toContain('| Dockerfile lint | 40 | 40 | 40 | 40 | 40 | 200 |')
  })

  it('keeps a summary of 10,000 findings under 1 MiB', () => {
    const findings = Array.from({ length: 10000 }, (_, i) =>
      vuln(`CVE-2024-${i}`, { message: 'y'.repeat(300) })
    )
    const md = renderSummary(report(findings), base)
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(1024 * 1024)
    expect(md).toContain('a job summary is limited to 1 MiB')
  })
})
