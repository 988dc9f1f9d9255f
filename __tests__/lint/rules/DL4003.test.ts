import { DL4003 } from '../../../src/lint/rules/DL4003.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL4003, {
  catches: [['FROM debian:12\nCMD ["a"]\nCMD ["b"]', 3]],
  passes: ['FROM debian:12\nCMD ["a"]', 'FROM debian:12 AS a\nCMD ["a"]\nFROM debian:12\nCMD ["b"]']
})
