/**
 * ShellCheck over RUN, with the real `shellcheck` binary (scripts/test-env.sh installs it). The expected codes
 * are ShellCheck's own documented checks: SC2086 (unquoted expansion, info), SC2154 (a lower-case variable
 * referenced but never assigned, warning), SC3028 (`$RANDOM` is not POSIX sh, warning under sh only).
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import fc from 'fast-check'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { lintDockerfile } from '../../src/lint/engine.js'
import { defaultHadolintConfig, type HadolintConfig } from '../../src/lint/config.js'
import { runShellcheck, type ShellcheckOptions } from '../../src/lint/shellcheck.js'
import { shellcheckScripts, shebangFor } from '../../src/lint/shellcheck-scripts.js'
import { evaluateGate, type Finding } from '../../src/findings.js'
import { toSarif } from '../../src/publish/sarif.js'
import { buildAnnotations } from '../../src/publish/annotations.js'

async function sc(
  text: string,
  opts: { config?: Partial<HadolintConfig>; shellcheck?: ShellcheckOptions; log?: (m: string) => void } = {}
): Promise<Finding[]> {
  const options: Parameters<typeof lintDockerfile>[1] = {
    config: { ...defaultHadolintConfig(), ...opts.config },
    rules: [],
    shellcheck: opts.shellcheck ?? true
  }
  if (opts.log) options.log = opts.log
  return lintDockerfile(parseDockerfile(text, 'Dockerfile'), options)
}

const at = (fs: Finding[], code: string): number[] =>
  fs.filter((f) => f.ruleId === code && !f.suppressed).map((f) => f.location!.startLine)

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ShellCheck findings', () => {
  it('reports the SC code, the mapped severity and the RUN line', async () => {
    const fs = await sc('FROM debian:12\nRUN echo $undefined_var\n')
    const f2086 = fs.find((f) => f.ruleId === 'SC2086')
    expect(f2086).toMatchObject({
      category: 'lint',
      severity: 'low',
      location: { path: 'Dockerfile', startLine: 2 }
    })
    expect(fs.find((f) => f.ruleId === 'SC2154')?.severity).toBe('medium')
    expect(f2086?.help).toMatch(/shellcheck\.net\/wiki\/SC2086/)
  })

  it('finds nothing in a clean script', async () => {
    expect(await sc('FROM debian:12\nRUN echo "hello" && ls -l /\n')).toEqual([])
  })

  it('maps a finding to its line inside a multi-line RUN, past dropped comment lines', async () => {
    const text = [
      'FROM debian:12',
      'RUN echo start \\',
      '  # a comment line the builder drops',
      '',
      '  && echo $later_var \\',
      '  && echo done'
    ].join('\n')
    const fs = await sc(text)
    expect(at(fs, 'SC2154')).toEqual([5])
    expect(fs.find((f) => f.ruleId === 'SC2154')?.location?.endLine).toBe(5)
  })

  it('maps lines inside a heredoc RUN body', async () => {
    const fs = await sc('FROM debian:12\nRUN <<EOF\nset -e\necho $in_heredoc\nEOF\n')
    expect(at(fs, 'SC2154')).toEqual([4])
  })

  it('knows ARG and ENV names declared before the RUN, per stage', async () => {
    const text = [
      'ARG global_only',
      'FROM debian:12 AS base',
      'ARG build_arg',
      'ENV env_a=1 env_b=2',
      'RUN echo "$build_arg" "$env_a" "$env_b" "$http_proxy"',
      'RUN echo "$global_only"',
      'FROM base',
      'RUN echo "$env_a"',
      'FROM debian:12',
      'RUN echo "$env_a"'
    ].join('\n')
    const fs = await sc(text)
    // A global ARG is not in a stage until redeclared; a stage built FROM another keeps its names.
    expect(at(fs, 'SC2154')).toEqual([6, 10])
  })

  it('uses the effective SHELL: sh by default, bash after SHELL, kept across ENV, reset by FROM', async () => {
    const text = [
      'FROM debian:12',
      'RUN echo "$RANDOM"',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      'ENV A=1',
      'RUN echo "$RANDOM"',
      'FROM debian:12',
      'RUN echo "$RANDOM"'
    ].join('\n')
    expect(at(await sc(text), 'SC3028')).toEqual([2, 7])
  })

  it("gives a stage built FROM another stage that stage's SHELL", async () => {
    const text = [
      'FROM debian:12 AS base',
      'SHELL ["/bin/bash", "-c"]',
      'FROM base',
      'RUN echo "$RANDOM"',
      'FROM debian:12',
      'RUN echo "$RANDOM"'
    ].join('\n')
    expect(at(await sc(text), 'SC3028')).toEqual([6])
  })

  it('skips RUNs under a shell ShellCheck cannot read (pwsh, cmd, powershell)', async () => {
    for (const shell of [
      '["pwsh", "-c"]',
      '["cmd", "/S", "/C"]',
      '["C:\\\\Windows\\\\powershell.exe", "-Command"]'
    ]) {
      const fs = await sc(`FROM debian:12\nSHELL ${shell}\nRUN Get-Process $x | Out-Null\n`)
      expect(fs).toEqual([])
    }
  })

  it('honours the # hadolint shell= pragma, before the first FROM for every stage', async () => {
    const bash =
      '# hadolint shell=bash\nFROM debian:12\nRUN echo "$RANDOM"\nFROM debian:12\nRUN echo "$RANDOM"\n'
    expect(at(await sc(bash), 'SC3028')).toEqual([])
    const ps = 'FROM debian:12\n# hadolint shell=powershell\nRUN Get-Process $x | Out-Null\n'
    expect(await sc(ps)).toEqual([])
  })

  it('checks ONBUILD RUN triggers with the names of the ONBUILD triggers only', async () => {
    const text = [
      'FROM debian:12',
      'ARG stage_arg',
      'ONBUILD ARG child_arg',
      'ONBUILD RUN echo "$child_arg" "$stage_arg"'
    ].join('\n')
    expect(at(await sc(text), 'SC2154')).toEqual([4])
    const fs = await sc(text)
    expect(fs.find((f) => f.ruleId === 'SC2154')?.message).toMatch(/^stage_arg /)
  })

  it('reports the same comment once per RUN, at its first line, as hadolint counts', async () => {
    const text = 'FROM debian:12\nRUN echo $a_1 \\\n  && echo $a_1 \\\n  && echo $b_2\n'
    const fs = await sc(text)
    expect(at(fs, 'SC2086')).toEqual([2])
    expect(
      fs.filter((f) => f.ruleId === 'SC2154').map((f) => [f.location?.startLine, f.message.split(' ')[0]])
    ).toEqual([
      [2, 'a_1'],
      [4, 'b_2']
    ])
  })

  it('honours # hadolint ignore=SC…, .hadolint.yaml ignored and override', async () => {
    const text = 'FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $a_var\nRUN echo $b_var\n'
    const fs = await sc(text)
    const pragma = fs.filter((f) => f.ruleId === 'SC2086')
    expect(pragma.map((f) => [f.location?.startLine, f.suppressed?.source])).toEqual([
      [3, 'pragma'],
      [4, undefined]
    ])
    const cfg = await sc(text, {
      config: { ignored: ['SC2154'], override: { error: ['SC2086'], warning: [], info: [], style: [] } }
    })
    expect(
      cfg.filter((f) => f.ruleId === 'SC2154').every((f) => f.suppressed?.source === '.hadolint.yaml')
    ).toBe(true)
    expect(cfg.find((f) => f.ruleId === 'SC2086' && f.location?.startLine === 4)?.severity).toBe('high')
  })

  it('says once that ShellCheck is missing and reports a note that does not count', async () => {
    const logged: string[] = []
    const missing = { command: join(dir, 'no-such-shellcheck') }
    const a = await sc('FROM debian:12\nRUN echo $x\n', { shellcheck: missing, log: (m) => logged.push(m) })
    const b = await sc('FROM debian:12\nRUN echo $y\n', { shellcheck: missing, log: (m) => logged.push(m) })
    for (const fs of [a, b]) {
      expect(fs).toHaveLength(1)
      expect(fs[0]).toMatchObject({ ruleId: 'SI0002', severity: 'info', suppressed: { source: 'coverage' } })
      expect(fs[0].message).toMatch(/ShellCheck did not run/)
    }
    expect(logged.filter((m) => /ShellCheck did not run/.test(m))).toHaveLength(1)
  })

  it('fails closed with SI0001 when ShellCheck starts but breaks', async () => {
    const broken = join(dir, 'broken-shellcheck')
    writeFileSync(
      broken,
      '#!/bin/sh\n[ "$1" = --version ] && { echo "version: 0.9.0"; exit 0; }\necho boom >&2\nexit 3\n'
    )
    chmodSync(broken, 0o755)
    const fs = await sc('FROM debian:12\nRUN echo $x\n', { shellcheck: { command: broken } })
    expect(fs).toHaveLength(1)
    expect(fs[0]).toMatchObject({ ruleId: 'SI0001', severity: 'high' })
    expect(fs[0].suppressed).toBeUndefined()
  })
})

describe('ShellCheck findings in the published outputs', () => {
  it('reach SARIF (rule, wiki link, mapped line, pragma suppression) and the annotations', async () => {
    const text =
      'FROM debian:12\nRUN echo start \\\n  && echo $late_var\n# hadolint ignore=SC2086\nRUN echo $y_var\n'
    const findings = await sc(text)
    const report = {
      tool: { name: 'secure-image' as const, version: '0.0.0' },
      findings,
      gate: evaluateGate(findings, 'high')
    }
    const sarif = toSarif(report, { category: 'test' })
    const run = sarif.runs[0]
    const rule = run.tool.driver.rules?.find((r) => r.id === 'SC2154')
    expect(rule?.helpUri).toBe('https://www.shellcheck.net/wiki/SC2154')
    const results = run.results ?? []
    const late = results.find((r) => r.ruleId === 'SC2154' && r.message.text?.includes('late_var'))
    expect(late?.locations?.[0].physicalLocation?.region?.startLine).toBe(3)
    const ignored = results.find(
      (r) => r.ruleId === 'SC2086' && r.locations?.[0].physicalLocation?.region?.startLine === 5
    )
    expect(ignored?.suppressions?.[0].kind).toBe('inSource')
    const notes = buildAnnotations(findings)
    expect(notes.some((a) => a.title === 'SC2154' && a.startLine === 3 && a.path === 'Dockerfile')).toBe(true)
    expect(notes.some((a) => a.title === 'SC2086' && a.startLine === 5)).toBe(false)
  })
})

describe('ShellCheck batches', () => {
  it('checks many scripts in one process per batch, each comment tied to its own script', async () => {
    const calls = join(dir, 'calls.log')
    const shim = join(dir, 'counting-shellcheck')
    writeFileSync(shim, `#!/bin/sh\necho "$#" >> '${calls}'\nexec shellcheck "$@"\n`)
    chmodSync(shim, 0o755)
    const models = Array.from({ length: 5 }, (_, i) =>
      parseDockerfile(`FROM debian:12\n${'RUN true\n'.repeat(i)}RUN echo $var_${i}\n`, `D${i}`)
    )
    const scripts = models.flatMap((m) => shellcheckScripts(m))
    expect(scripts).toHaveLength(15)
    writeFileSync(calls, '')
    const r = await runShellcheck(scripts, { command: shim, batchSize: 6 })
    expect(r.ran).toBe(true)
    if (!r.ran) return
    // --version once (cached per command), then ceil(15 / 6) = 3 checking processes.
    const lines = readFileSync(calls, 'utf8').trim().split('\n')
    expect(lines.filter((l) => Number(l) > 1)).toHaveLength(3)
    const unassigned = r.comments.filter((c) => c.code === 'SC2154')
    expect(unassigned.map((c) => `${c.script.ins.startLine}:${c.message.split(' ')[0]}`).sort()).toEqual(
      models.map((_, i) => `${i + 2}:var_${i}`).sort()
    )
  })
})

describe('shellcheckScripts on arbitrary Dockerfile text', () => {
  const FRAGMENTS = [
    'FROM debian:12 AS a',
    'FROM a',
    'RUN echo $x \\',
    '  # comment',
    '',
    '  && echo $y',
    'RUN <<EOF',
    'echo $z',
    'EOF',
    'RUN ["sh", "-c", "echo $w"]',
    'ONBUILD RUN echo $v',
    'ONBUILD FROM x',
    'SHELL ["pwsh", "-c"]',
    'SHELL ["/bin/bash", "-c"]',
    '# hadolint shell=bash',
    'ARG q',
    'ENV r=1 s',
    'RUN --mount=type=cache,target=/x echo "unclosed',
    '# escape=`',
    'RUN a `'
  ]
  it('never throws, and maps every script line into its RUN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 20 })), { maxLength: 20 }),
        (lines) => {
          for (const s of shellcheckScripts(parseDockerfile(lines.join('\n'), 'Dockerfile'))) {
            expect(s.text.startsWith('#!/bin/')).toBe(true)
            expect(s.text.split('\n').length - 1).toBe(s.header + s.lineMap.length)
            for (const l of s.lineMap) {
              expect(l).toBeGreaterThanOrEqual(s.ins.startLine)
              expect(l).toBeLessThanOrEqual(s.ins.endLine)
            }
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('shebangFor', () => {
  it('maps POSIX shells and leaves the others out', () => {
    expect(shebangFor('/bin/sh -c')).toBe('/bin/sh')
    expect(shebangFor('/bin/bash -o pipefail -c')).toBe('/bin/bash')
    expect(shebangFor('/usr/bin/env bash -c')).toBe('/bin/bash')
    expect(shebangFor('/bin/ash -eo pipefail -c')).toBe('/bin/ash')
    expect(shebangFor('pwsh -c')).toBeUndefined()
    expect(shebangFor('cmd /S /C')).toBeUndefined()
    expect(
      shebangFor('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -Command')
    ).toBeUndefined()
    expect(shebangFor('/bin/zsh -c')).toBeUndefined()
  })
})
