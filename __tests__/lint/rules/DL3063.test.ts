import { describe, it, expect } from '@jest/globals'
import { DL3063 } from '../../../src/lint/rules/DL3063.js'
import { lintText, ruleTests } from '../helpers.js'

const on = { override: { error: [], warning: ['DL3063'], info: [], style: [] } }

ruleTests(DL3063, {
  config: on,
  catches: [
    // Reported on the line after the last stage's FROM, as hadolint does.
    ['FROM debian:12\nRUN true', 2],
    ['FROM debian:12 AS a\nRUN true\nFROM debian:12\nCMD ["x"]', 4]
  ],
  passes: ['FROM debian:12\nUSER 10001', 'FROM debian:12 AS build\nUSER builder\nFROM debian:12\nCMD ["x"]']
})

describe('DL3063 is off by default, as in hadolint', () => {
  it('does not run without an override', async () => {
    expect(await lintText('FROM debian:12\nRUN true', { rules: [DL3063] })).toEqual([])
  })
})
