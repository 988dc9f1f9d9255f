import { DL3025 } from '../../../src/lint/rules/DL3025.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3025, {
  catches: [
    ['FROM debian:12\nCMD my-service server', 2],
    ['FROM debian:12\nENTRYPOINT /bin/app --flag', 2]
  ],
  passes: [
    'FROM debian:12\nCMD ["my-service", "server"]',
    'FROM debian:12\nENTRYPOINT ["/bin/app", "--flag"]'
  ]
})
