import { SI1005 } from '../../../src/lint/rules/SI1005.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1005, {
  catches: [['FROM debian:12\nCMD ["app"]', 1]],
  passes: [
    'FROM debian:12\nHEALTHCHECK CMD ["/bin/check"]',
    'FROM debian:12\nHEALTHCHECK NONE',
    'FROM debian:12 AS base\nHEALTHCHECK CMD x\nFROM base\nRUN y'
  ]
})
