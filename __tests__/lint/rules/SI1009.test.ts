import { SI1009 } from '../../../src/lint/rules/SI1009.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1009, {
  catches: [['FROM debian:12\nRUN --security=insecure make', 2]],
  passes: ['FROM debian:12\nRUN --security=sandbox make', 'FROM debian:12\nRUN make']
})
