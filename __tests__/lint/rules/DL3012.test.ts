import { DL3012 } from '../../../src/lint/rules/DL3012.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3012, {
  catches: [['FROM debian:12\nHEALTHCHECK CMD /bin/check\nHEALTHCHECK CMD /bin/other', 3]],
  passes: [
    'FROM debian:12\nHEALTHCHECK CMD /bin/check',
    'FROM debian:12 AS a\nHEALTHCHECK CMD a\nFROM debian:12\nHEALTHCHECK CMD b'
  ]
})
