import { it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { lintDockerfile, PARSE_ERROR_ID, RULE_FAILURE_ID } from '../../src/lint/engine.js'
import type { Finding } from '../../src/findings.js'

import { CORPUS_DIR as CORPUS, corpusPresent, describeWithCorpus } from '../helpers/corpus.js'

describeWithCorpus('the corpus of 251 real Dockerfiles', () => {
  const files = corpusPresent ? readdirSync(CORPUS).sort() : []
  const results = new Map<string, Finding[]>()

  it('holds 251 files', () => {
    expect(files).toHaveLength(251)
  })

  it('lints every file without a crash, a parse error or a rule failure', async () => {
    const bad: string[] = []
    for (const f of files) {
      const text = readFileSync(resolve(CORPUS, f), 'utf8')
      const findings = await lintDockerfile(parseDockerfile(text, f))
      results.set(f, findings)
      const lines = text.split('\n').length
      for (const x of findings) {
        if (x.ruleId === PARSE_ERROR_ID || x.ruleId === RULE_FAILURE_ID)
          bad.push(`${f}:${x.location?.startLine} ${x.message}`)
        if (
          !x.location ||
          x.location.path !== f ||
          x.location.startLine < 1 ||
          x.location.startLine > lines
        ) {
          bad.push(`${f}: finding ${x.ruleId} without a valid location`)
        }
      }
    }
    expect(bad).toEqual([])
  })

  it('gives findings that match hadolint on known files', () => {
    const ids = (f: string): string[] =>
      (results.get(f) ?? []).map((x) => `${x.ruleId}:${x.location?.startLine}`)
    // buildpack-deps without a tag (DL3006); a python image piping get-pip.py into python3 (SI1003).
    expect(ids('node__0.10__Dockerfile.Dockerfile')).toContain('DL3006:1')
    expect(ids('python__3.2__Dockerfile.Dockerfile').some((s) => s.startsWith('SI1003:'))).toBe(true)
    // Every official image ends without USER / HEALTHCHECK in these files.
    expect([...results.values()].every((fs) => fs.some((x) => x.ruleId === 'SI1005'))).toBe(true)
  })
})
