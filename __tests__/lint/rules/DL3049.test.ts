import { DL3049 } from '../../../src/lint/rules/DL3049.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3049, {
  catches: [
    ['FROM debian:12\nLABEL foo="bar"', 1],
    ['FROM debian:12 AS build\nLABEL maintainer=x\nFROM debian:12\nLABEL other=1', 3]
  ],
  passes: [
    'FROM debian:12\nLABEL maintainer="me"',
    'FROM debian:12 AS base\nLABEL maintainer=x\nFROM base\nRUN y'
  ],
  config: { labelSchema: { maintainer: 'text' } }
})
