import { describe, it, expect } from '@jest/globals'
import { DL3057 } from '../../../src/lint/rules/DL3057.js'
import { lintText, ruleTests } from '../helpers.js'

const on = { override: { error: [], warning: ['DL3057'], info: [], style: [] } }

ruleTests(DL3057, {
  config: on,
  catches: [
    ['FROM debian:12\nRUN true', 1],
    ['FROM debian:12 AS build\nHEALTHCHECK CMD true\nFROM debian:12\nRUN true', 3],
    ['FROM debian:12 AS build\nRUN make\nFROM build\nHEALTHCHECK CMD true', 1]
  ],
  passes: [
    'FROM debian:12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1',
    'FROM debian:12\nHEALTHCHECK NONE',
    'FROM debian:12 AS base\nHEALTHCHECK CMD true\nFROM base\nRUN true'
  ]
})

describe('DL3057 is off by default, as in hadolint', () => {
  it('does not run without an override, and runs at the override level', async () => {
    expect(await lintText('FROM debian:12\nRUN true', { rules: [DL3057] })).toEqual([])
    const fs = await lintText('FROM debian:12\nRUN true', { rules: [DL3057], config: on })
    expect(fs.map((f) => f.severity)).toEqual(['medium'])
  })
})
