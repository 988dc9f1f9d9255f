/** How the comment, the annotations and SARIF show a comparison with a baseline. */
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { classifyFindings } from '../../src/baseline/index.js'
import { COMMENT_LIMIT, commentMarker, renderComment } from '../../src/publish/comment.js'
import { byteLength } from '../../src/publish/markdown.js'
import { annotatedFindings } from '../../src/publish/index.js'
import { toSarif } from '../../src/publish/sarif.js'
import { renderText } from '../../src/publish/text.js'
import type { Finding, Report } from '../../src/findings.js'
import { lint, report, vuln } from './make.js'

const base = { image: 'ghcr.io/octo/app', pushed: false, refs: [] as string[] }
const fromBase = { digest: 'sha256:' + 'c'.repeat(64), inherited: true }

/** A report compared with a baseline: one new, one fixed, one unchanged, `inheritedCount` inherited. */
function compared(inheritedCount = 2): Report {
  const findings: Finding[] = [
    vuln('CVE-NEW', { severity: 'high', package: { name: 'left-pad', version: '1.0.0', ecosystem: 'npm' } }),
    vuln('CVE-SAME', { severity: 'medium' }),
    lint(3, { severity: 'low' })
  ]
  const before: Finding[] = [vuln('CVE-SAME'), vuln('CVE-GONE', { severity: 'critical' })]
  for (let i = 0; i < inheritedCount; i++) {
    const id = `DEBIAN-CVE-BASE-${String(i).padStart(5, '0')}`
    const f = vuln(id, {
      severity: 'critical',
      layer: fromBase,
      message: `${id} affects libbase${i}: ${'a long advisory text '.repeat(10)}`,
      package: { name: `libbase${i}`, version: '1', ecosystem: 'Debian:12' }
    })
    findings.push(f)
    before.push({ ...f })
  }
  const c = classifyFindings(findings, before, {
    diff: { isNew: (f) => f.location?.startLine === 99 }
  })
  const r = report(findings)
  r.fixed = c.fixed
  r.baseline = {
    found: true,
    ref: 'ghcr.io/octo/app:main',
    digest: 'sha256:' + 'd'.repeat(64),
    source: 'scan',
    counts: c.counts
  }
  r.gate.failOn = 'new'
  return r
}

describe('the comment with a baseline', () => {
  it('leads with new and fixed; unchanged and inherited are counted and collapsed', () => {
    const md = renderComment(compared(), base)
    const firstDetails = md.indexOf('<details>')
    const lead = md.slice(0, firstDetails)
    expect(lead).toContain('Compared with `ghcr.io/octo/app:main` at `sha256:ddd')
    expect(lead).toContain('**1 new**, **1 fixed**, 2 unchanged, 2 inherited from the base image')
    expect(lead).toMatch(/#### 🆕 New in this change: 1 finding · 1 high/)
    expect(lead).toContain('CVE-NEW')
    expect(lead).toMatch(/#### ✅ Fixed by this change: 1 finding · 1 critical/)
    expect(lead).toContain('CVE-GONE')
    expect(lead.indexOf('CVE-NEW')).toBeLessThan(lead.indexOf('CVE-GONE'))
    expect(lead).not.toContain('CVE-SAME')
    expect(lead).not.toContain('DEBIAN-CVE-BASE')
    const rest = md.slice(firstDetails)
    expect(rest).toMatch(/<details><summary><b>Unchanged<\/b>: 2 findings/)
    expect(rest).toMatch(/<details><summary><b>Inherited from the base image<\/b>: 2 findings · 2 critical/)
    expect(rest).toContain('DEBIAN-CVE-BASE-00000')
    expect(md.split('\n')[1]).toContain('new findings only')
  })

  it('says when nothing is new', () => {
    const r = compared()
    r.findings = r.findings.filter((f) => f.baseline !== 'new')
    expect(renderComment(r, base)).toContain('#### 🆕 New in this change: none')
  })

  it('stays within 65,536 characters by leaving out the backlog first, never what is new or fixed', () => {
    const r = compared(1500)
    const md = renderComment(r, base)
    expect(byteLength(md)).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(md).toContain('CVE-NEW')
    expect(md).toContain('CVE-GONE')
    expect(md).toMatch(/Inherited from the base image<\/b>: 1500 findings/)
    expect(md).toMatch(
      /_\d+ less severe findings not shown here \(a PR comment is limited to 65,536 characters\)/
    )
  })

  it('without a baseline: says why, and keeps the per-stage layout', () => {
    const r = report([vuln('CVE-1')])
    r.baseline = { found: false, reason: 'nothing has been published as ghcr.io/octo/app:main yet' }
    r.gate.failOn = 'all'
    const md = renderComment(r, base)
    expect(md).toContain('> **No baseline**: nothing has been published as ghcr.io/octo/app:main yet.')
    expect(md).toContain('with `fail-on: new` every finding gates')
    expect(md).toMatch(/<details><summary><b>Vulnerabilities<\/b>/)
  })

  it('gives base-image advice', () => {
    const r = compared()
    r.advice = { base: 'debian:12.1', inherited: 2, total: 4, candidate: 'debian:12.4', fixable: 1 }
    expect(renderComment(r, base)).toContain(
      '💡 **2 of 4 vulnerabilities came with the base image** `debian:12.1`. Moving to `debian:12.4` would fix 1 of them.'
    )
  })
})

describe('the CLI text with a baseline', () => {
  it('gives the counts and names what was fixed', () => {
    const text = renderText(compared())
    expect(text).toContain(
      `Compared with ghcr.io/octo/app:main@sha256:${'d'.repeat(64)}: 1 new, 1 fixed, 2 unchanged, 2 inherited.`
    )
    expect(text).toMatch(/^ {2}fixed {2}CVE-GONE {2}CVE-GONE affects libfoo\.$/m)
    const none = report([])
    none.baseline = { found: false, reason: 'nothing has been published as x:main yet' }
    expect(renderText(none)).toContain('No baseline: nothing has been published as x:main yet.')
  })
})

describe('the marker of a matrix job', () => {
  it('holds the image and the matrix values, so that jobs do not share a comment', () => {
    const a = commentMarker('ghcr.io/octo/app', '{"os":"linux","v":"a"}')
    const b = commentMarker('ghcr.io/octo/app', '{"os":"linux","v":"b"}')
    const plain = commentMarker('ghcr.io/octo/app')
    expect(a).toBe('<!-- secure-image:ghcr.io/octo/app matrix={"os":"linux","v":"a"} -->')
    expect(a).not.toBe(b)
    for (const m of [a, b]) expect(m.includes(plain) || plain.includes(m)).toBe(false)
    expect(commentMarker('x', '{"k":"--> <b>"}')).not.toMatch(/-->.*-->/)
    expect(
      renderComment(report([]), { ...base, matrix: '{"v":"a"}' }).startsWith(
        commentMarker(base.image, '{"v":"a"}')
      )
    ).toBe(true)
  })
})

describe('annotations with a baseline', () => {
  it('only new findings, and the ones that always gate; every one with `annotations: all` or no baseline', () => {
    const r = compared()
    r.findings.push({
      category: 'secret',
      ruleId: 'SI5001',
      severity: 'critical',
      message: 'key',
      baseline: 'unchanged'
    })
    const ids = annotatedFindings(r, 'new').map((f) => f.ruleId)
    expect(ids.sort()).toEqual(['CVE-NEW', 'SI5001'])
    expect(annotatedFindings(r, 'all')).toHaveLength(r.findings.length)
    r.baseline = { found: false, reason: 'x' }
    expect(annotatedFindings(r, 'new')).toHaveLength(r.findings.length)
  })
})

describe('SARIF with a baseline', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')
  ) as object
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true })
  ;(addFormats as unknown as (a: Ajv) => void)(ajv)
  const validate = ajv.compile(schema)

  it('baselineState new, unchanged (inherited too) and absent (fixed), with the classification as a property', () => {
    const log = toSarif(compared(), { category: 'secure-image/app' })
    expect(validate(log)).toBe(true)
    const results = log.runs[0].results ?? []
    const state = (id: string) => results.find((x) => x.ruleId === id)
    expect(state('CVE-NEW')).toMatchObject({ baselineState: 'new', properties: { baseline: 'new' } })
    expect(state('CVE-SAME')).toMatchObject({
      baselineState: 'unchanged',
      properties: { baseline: 'unchanged' }
    })
    expect(state('DEBIAN-CVE-BASE-00001')).toMatchObject({
      baselineState: 'unchanged',
      properties: { baseline: 'inherited' }
    })
    expect(state('CVE-GONE')).toMatchObject({
      baselineState: 'absent',
      kind: 'pass',
      level: 'none',
      properties: { baseline: 'fixed' }
    })
    expect(log.runs[0].properties).toMatchObject({ gateFailOn: 'new', baseline: { found: true } })
  })

  it('without a baseline: no baselineState at all', () => {
    const log = toSarif(report([vuln('CVE-1')]), { category: 'secure-image/app' })
    expect(validate(log)).toBe(true)
    expect(log.runs[0].results?.[0].baselineState).toBeUndefined()
  })
})
