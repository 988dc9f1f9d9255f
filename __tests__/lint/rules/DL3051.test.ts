import { DL3051 } from '../../../src/lint/rules/DL3051.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3051, {
  catches: [['FROM debian:12\nLABEL maintainer=""', 2]],
  passes: ['FROM debian:12\nLABEL maintainer="me"', 'FROM debian:12\nLABEL other=""'],
  config: { labelSchema: { maintainer: 'text' } }
})
