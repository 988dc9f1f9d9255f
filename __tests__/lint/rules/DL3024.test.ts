import { DL3024 } from '../../../src/lint/rules/DL3024.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3024, {
  catches: [
    ['FROM debian:12 AS foo\nRUN x\nFROM debian:12 AS foo\nRUN y', 3],
    ['FROM debian:12 AS foo\nFROM debian:12 AS FOO', 2]
  ],
  passes: ['FROM debian:12 AS foo\nFROM debian:12 AS bar', 'FROM debian:12\nFROM debian:12\n']
})
