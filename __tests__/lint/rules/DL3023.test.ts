import { DL3023 } from '../../../src/lint/rules/DL3023.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3023, {
  catches: [['FROM debian:12 AS foo\nCOPY --from=foo bar .', 2]],
  passes: ['FROM debian:12 AS foo\nRUN x\nFROM debian:12 AS bar\nCOPY --from=foo /a /a']
})
