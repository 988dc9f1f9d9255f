import { SI1007 } from '../../../src/lint/rules/SI1007.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1007, {
  catches: [
    ['FROM debian:12\nEXPOSE 22', 2],
    ['FROM debian:12\nEXPOSE 80 22/tcp', 2]
  ],
  passes: ['FROM debian:12\nEXPOSE 2222', 'FROM debian:12\nEXPOSE 80 443']
})
