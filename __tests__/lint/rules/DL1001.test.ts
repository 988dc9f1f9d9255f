import { describe, it, expect } from '@jest/globals'
import { DL1001 } from '../../../src/lint/rules/DL1001.js'
import { lintText, ruleTests } from '../helpers.js'

const on = { override: { error: [], warning: [], info: ['DL1001'], style: [] } }

ruleTests(DL1001, {
  config: on,
  catches: [
    ['FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl', 2],
    ['FROM debian:12\nRUN true\n# hadolint ignore=SC2086,DL3059\nRUN echo $x', 3]
  ],
  passes: [
    'FROM debian:12\n# hadolint global ignore=DL3008\nRUN apt-get install -y curl',
    'FROM debian:12\n# just a comment about hadolint\nRUN true',
    'FROM debian:12\n# secure-image ignore=SI1005 reason="probed"\nRUN true'
  ]
})

describe('DL1001 is off by default, as in hadolint', () => {
  it('does not run without an override', async () => {
    const fs = await lintText('FROM debian:12\n# hadolint ignore=DL3008\nRUN true', { rules: [DL1001] })
    expect(fs).toEqual([])
  })
})
