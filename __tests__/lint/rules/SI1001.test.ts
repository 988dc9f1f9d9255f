import { SI1001 } from '../../../src/lint/rules/SI1001.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1001, {
  catches: [
    ['FROM debian:12\nRUN make', 1],
    ['FROM debian:12 AS build\nUSER app\nFROM debian:12\nRUN x', 3]
  ],
  passes: ['FROM debian:12\nUSER 10001', 'FROM debian:12 AS base\nUSER app\nFROM base\nRUN x']
})
