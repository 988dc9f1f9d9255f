import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { lintText } from './helpers.js'
import { RULES, ruleCatalog } from '../../src/lint/rules/index.js'
import { PARSE_ERROR_ID } from '../../src/lint/engine.js'

const ids = (fs: { ruleId: string }[]): string[] => fs.map((f) => f.ruleId)

describe('lintDockerfile', () => {
  it('maps hadolint levels onto the one scale: error→high, warning→medium, info→low, style→info', async () => {
    const fs = await lintText('FROM debian:12\nWORKDIR app\nUSER root\nLABEL Bad_Key=1\nRUN a\nRUN b\n')
    const sev = (id: string): string | undefined => fs.find((f) => f.ruleId === id)?.severity
    expect(sev('DL3000')).toBe('high')
    expect(sev('DL3002')).toBe('medium')
    expect(sev('DL3059')).toBe('low')
    expect(sev('DL3048')).toBe('info')
  })

  it('applies the config override before mapping', async () => {
    const fs = await lintText('FROM debian:12\nRUN a\nRUN b\n', {
      config: { override: { error: ['DL3059'], warning: [], info: [], style: [] } }
    })
    expect(fs.find((f) => f.ruleId === 'DL3059')?.severity).toBe('high')
  })

  it('gives every finding the path, its lines, a message and help', async () => {
    const fs = await lintText('FROM debian\nRUN apt-get update && \\\n    apt-get install curl\n')
    expect(fs.length).toBeGreaterThan(3)
    for (const f of fs) {
      expect(f.category).toBe('lint')
      expect(f.location?.path).toBe('Dockerfile')
      expect(f.location?.startLine).toBeGreaterThanOrEqual(1)
      expect(f.location?.endLine).toBeGreaterThanOrEqual(f.location?.startLine ?? 0)
      expect(f.message.length).toBeGreaterThan(5)
      expect(f.help).toBeTruthy()
    }
    const dl3008 = fs.find((f) => f.ruleId === 'DL3008')
    expect(dl3008?.location).toEqual({ path: 'Dockerfile', startLine: 2, endLine: 3 })
  })

  it('checks ONBUILD triggers with the instruction rules', async () => {
    const fs = await lintText('FROM debian:12\nONBUILD RUN sudo make\nONBUILD ADD src /src\n')
    expect(fs.filter((f) => f.ruleId === 'DL3004').map((f) => f.location?.startLine)).toEqual([2])
    expect(fs.filter((f) => f.ruleId === 'DL3020').map((f) => f.location?.startLine)).toEqual([3])
  })

  it('expands a FROM ${ARG} with its default before the image rules', async () => {
    const fs = await lintText('ARG BASE=debian:latest\nFROM ${BASE}\n')
    expect(ids(fs)).toContain('DL3007')
  })

  it('finds commands inside heredoc RUN scripts and never fails a file on heredocs', async () => {
    const text = [
      'FROM debian:12',
      'RUN <<EOF',
      'set -e',
      'sudo apt-get install -y curl',
      'EOF',
      'COPY <<EOT /etc/app.conf',
      'key = "value with | pipe and $(sub)"',
      'EOT',
      'RUN python3 <<PY',
      'import os; print("sudo rm -rf /")',
      'PY',
      'USER 10001'
    ].join('\n')
    const fs = await lintText(text)
    expect(ids(fs)).not.toContain(PARSE_ERROR_ID)
    expect(fs.filter((f) => f.ruleId === 'DL3004').map((f) => f.location?.startLine)).toEqual([2])
    expect(fs.filter((f) => f.ruleId === 'DL3021')).toEqual([])
  })

  it('turns parse errors into one finding each, with the line, and never throws', async () => {
    const fs = await lintText('FROM debian:12\nRUN ok\nFROBNICATE now\n')
    const errs = fs.filter((f) => f.ruleId === PARSE_ERROR_ID)
    expect(errs).toHaveLength(1)
    expect(errs[0].severity).toBe('high')
    expect(errs[0].location?.startLine).toBe(3)
    expect(errs[0].message).toMatch(/FROBNICATE/)
    const none = await lintText('# only a comment\n')
    expect(none.filter((f) => f.ruleId === PARSE_ERROR_ID).map((f) => f.location?.startLine)).toEqual([1])
  })

  it('reports an instruction before FROM once, as DL3061', async () => {
    const fs = await lintText('RUN echo hi\nFROM debian:12\n')
    expect(fs.filter((f) => f.location?.startLine === 1).map((f) => f.ruleId)).toContain('DL3061')
    expect(fs.filter((f) => f.ruleId === PARSE_ERROR_ID)).toEqual([])
  })
})

describe('suppressions are returned, marked, not dropped', () => {
  it('honours `# hadolint ignore=` for the next instruction only', async () => {
    const fs = await lintText('# hadolint ignore=DL3006\nFROM debian\nFROM ubuntu\n')
    const dl3006 = fs.filter((f) => f.ruleId === 'DL3006')
    expect(dl3006.map((f) => [f.location?.startLine, f.suppressed?.source])).toEqual([
      [2, 'pragma'],
      [3, undefined]
    ])
  })

  it('takes several ids, and comments between the pragma and the instruction', async () => {
    const text =
      'FROM debian:12\n# hadolint ignore=DL3008,DL3015\n# install tools\nRUN apt-get install -y curl\n'
    const fs = await lintText(text)
    for (const id of ['DL3008', 'DL3015']) {
      expect(fs.find((f) => f.ruleId === id)?.suppressed).toEqual({ source: 'pragma' })
    }
  })

  it('honours `# hadolint global ignore=` for the whole file', async () => {
    const fs = await lintText('FROM debian:12\nRUN a\nRUN b\n# hadolint global ignore=DL3059\nRUN c\n')
    const dl3059 = fs.filter((f) => f.ruleId === 'DL3059')
    expect(dl3059).toHaveLength(2)
    expect(dl3059.every((f) => f.suppressed?.source === 'pragma')).toBe(true)
  })

  it('honours `# secure-image ignore=ID reason="…"` and keeps the reason', async () => {
    const text =
      'FROM debian:12\n# secure-image ignore=SI1007 reason="bastion image, sshd by design"\nEXPOSE 22\n'
    const f = (await lintText(text)).find((x) => x.ruleId === 'SI1007')
    expect(f?.suppressed).toEqual({ source: 'pragma', reason: 'bastion image, sshd by design' })
  })

  it('marks rules listed under `ignored` in the config', async () => {
    const fs = await lintText('FROM debian\n', { config: { ignored: ['DL3006'] } })
    expect(fs.find((f) => f.ruleId === 'DL3006')?.suppressed?.source).toBe('.hadolint.yaml')
  })

  it('skips hadolint pragmas when disable-ignore-pragma is set, but not our own', async () => {
    const text = '# hadolint ignore=DL3006\nFROM debian\n# secure-image ignore=SI1007\nEXPOSE 22\n'
    const fs = await lintText(text, { config: { disableIgnorePragma: true } })
    expect(fs.find((f) => f.ruleId === 'DL3006')?.suppressed).toBeUndefined()
    expect(fs.find((f) => f.ruleId === 'SI1007')?.suppressed?.source).toBe('pragma')
  })
})

describe('the rule list', () => {
  it('has at least 60 hadolint DL rules, unique ids, each with message and help', () => {
    const dl = RULES.filter((r) => /^DL\d{4}$/.test(r.id))
    expect(dl.length).toBeGreaterThanOrEqual(60)
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length)
    for (const r of RULES) {
      expect(['error', 'warning', 'info', 'style']).toContain(r.severity)
      expect(r.message).toBeTruthy()
      expect(r.help).toBeTruthy()
    }
  })

  it('catalogues every rule with its mapped severity for `rules --format json`', () => {
    const cat = ruleCatalog()
    expect(cat.find((c) => c.id === 'DL3008')).toEqual({
      id: 'DL3008',
      severity: 'medium',
      description: 'Pin versions in apt-get install.'
    })
    expect(cat.find((c) => c.id === 'DL3000')?.severity).toBe('high')
    expect(cat.map((c) => c.id)).toEqual(expect.arrayContaining(RULES.map((r) => r.id)))
  })
})

describe('docs/lint.md', () => {
  it('lists every rule with its level and mapped severity', () => {
    const doc = readFileSync(resolve(process.cwd(), 'docs/lint.md'), 'utf8')
    const map = { error: 'high', warning: 'medium', info: 'low', style: 'info' } as const
    for (const r of RULES) {
      expect(doc).toContain(`| ${r.id} | ${r.severity} → ${map[r.severity]} |`)
    }
  })
})

describe('parser features the rules rely on', () => {
  it('follows `# escape=` continuations into the shell analysis', async () => {
    const fs = await lintText('# escape=`\nFROM debian:12\nRUN apt-get install -y `\n    curl\n')
    const f = fs.find((x) => x.ruleId === 'DL3008')
    expect(f?.location).toEqual({ path: 'Dockerfile', startLine: 3, endLine: 4 })
    expect(f?.message).toMatch(/curl/)
  })

  it('uses stage aliases case-insensitively and numeric stage references', async () => {
    const fs = await lintText(
      'FROM debian:12 AS Build\nRUN make\nFROM debian:12\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n'
    )
    expect(fs.filter((f) => f.ruleId === 'DL3022')).toEqual([])
  })
})
