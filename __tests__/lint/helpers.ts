/** Shared helpers of the lint tests: lint text with one rule, and the catches / does-not-catch table. */
import { describe, it, expect } from '@jest/globals'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { lintDockerfile } from '../../src/lint/engine.js'
import { defaultHadolintConfig, type HadolintConfig } from '../../src/lint/config.js'
import type { Rule } from '../../src/lint/rule.js'
import type { Finding } from '../../src/findings.js'

export interface LintTextOptions {
  config?: Partial<HadolintConfig>
  contextFiles?: string[]
  rules?: Rule[]
}

export async function lintText(text: string, opts: LintTextOptions = {}): Promise<Finding[]> {
  const config = { ...defaultHadolintConfig(), ...opts.config }
  const options: Parameters<typeof lintDockerfile>[1] = { config }
  if (opts.contextFiles) options.contextFiles = opts.contextFiles
  if (opts.rules) options.rules = opts.rules
  return lintDockerfile(parseDockerfile(text, 'Dockerfile'), options)
}

/** A Dockerfile the rule must fire on, and the line it must fire at. */
export type Catch = [text: string, line: number]

export interface RuleCases {
  catches: Catch[]
  passes: string[]
  config?: Partial<HadolintConfig>
  contextFiles?: string[]
}

/** Runs the rule alone over each case: every catch fires at its line, no pass fires. */
export function ruleTests(rule: Rule, cases: RuleCases): void {
  const opts: LintTextOptions = { rules: [rule] }
  if (cases.config) opts.config = cases.config
  if (cases.contextFiles) opts.contextFiles = cases.contextFiles
  describe(`${rule.id} (${rule.severity})`, () => {
    cases.catches.forEach(([text, line], n) => {
      it(`catches #${n + 1}: ${firstInteresting(text)}`, async () => {
        const found = (await lintText(text, opts)).filter((f) => f.ruleId === rule.id)
        expect(found.map((f) => f.location?.startLine)).toContain(line)
        for (const f of found) {
          expect(f.category).toBe('lint')
          expect(f.location?.path).toBe('Dockerfile')
          expect(f.help).toBeTruthy()
        }
      })
    })
    cases.passes.forEach((text, n) => {
      it(`does not catch #${n + 1}: ${firstInteresting(text)}`, async () => {
        const found = (await lintText(text, opts)).filter((f) => f.ruleId === rule.id)
        expect(found).toEqual([])
      })
    })
  })
}

function firstInteresting(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() && !/^FROM debian:12$/.test(l))
  return (lines[lines.length - 1] ?? '').slice(0, 60)
}
