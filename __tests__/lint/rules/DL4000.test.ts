import { DL4000 } from '../../../src/lint/rules/DL4000.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL4000, {
  catches: [['FROM debian:12\nMAINTAINER Lukas <me@example.com>', 2]],
  passes: ['FROM debian:12\nLABEL maintainer="Lukas <me@example.com>"']
})
