import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { lintDockerfile, PARSE_ERROR_ID, RULE_FAILURE_ID } from '../../src/lint/engine.js'
import { parseShell } from '../../src/dockerfile/shell.js'
import { CORPUS_DIR, corpusPresent } from '../helpers/corpus.js'

const FRAGMENTS = [
  'FROM debian:12',
  'FROM ${BASE:-debian}:latest AS build',
  'ARG BASE=debian',
  'RUN apt-get update && apt-get install -y curl | tee /log',
  'RUN <<EOF',
  'EOF',
  'RUN ["sh", "-c", "echo $(date"]',
  'COPY --from=build . .',
  'ADD https://example.com/x.tgz /',
  'ONBUILD ONBUILD RUN x',
  'ENV A=1 B=$A',
  'LABEL a="b" c',
  'USER root',
  'HEALTHCHECK CMD true',
  'EXPOSE 22 99999 a-b',
  'WORKDIR rel',
  'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  '# hadolint ignore=DL3008',
  '# escape=`',
  '\\',
  '"',
  "'",
  '$(',
  '`',
  '(((',
  ')',
  '<<-X',
  ''
]

async function check(text: string): Promise<void> {
  const findings = await lintDockerfile(parseDockerfile(text, 'Dockerfile'), {
    contextFiles: ['.env', 'a/id_rsa']
  })
  for (const f of findings) {
    expect(f.ruleId).not.toBe(RULE_FAILURE_ID)
    expect(f.location?.startLine).toBeGreaterThanOrEqual(1)
    if (f.ruleId === PARSE_ERROR_ID) expect(f.message).not.toMatch(/\n/)
  }
}

describe('lint never throws on arbitrary Dockerfile text', () => {
  it('survives lines built from Dockerfile fragments and noise', async () => {
    const line = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 30 }))
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 25 }), async (lines) => check(lines.join('\n'))),
      { numRuns: 300 }
    )
  })

  const corpusIt = corpusPresent ? it : it.skip
  const corpusName = corpusPresent
    ? 'survives random mutations of real corpus files'
    : `survives random mutations of real corpus files (skipped: no Dockerfile corpus at ${CORPUS_DIR}; set SI_CORPUS_DIR)`
  corpusIt(corpusName, async () => {
    const dir = CORPUS_DIR
    const texts = readdirSync(dir)
      .sort()
      .slice(0, 40)
      .map((f) => readFileSync(resolve(dir, f), 'utf8'))
    const mutation = fc.record({
      file: fc.nat({ max: texts.length - 1 }),
      at: fc.nat(),
      cut: fc.nat({ max: 40 }),
      insert: fc.oneof(
        fc.constantFrom('"', "'", '\\\n', '$(', '`', '<<EOF\n', '\n', '|', '&&', '#'),
        fc.string({ maxLength: 8 })
      )
    })
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (muts) => {
        let text = texts[muts[0].file]
        for (const m of muts) {
          const pos = m.at % (text.length + 1)
          text = text.slice(0, pos) + m.insert + text.slice(pos + m.cut)
        }
        await check(text)
      }),
      { numRuns: 200 }
    )
  })

  it('the shell analysis never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = parseShell(s)
        expect(Array.isArray(r.commands)).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })
})
