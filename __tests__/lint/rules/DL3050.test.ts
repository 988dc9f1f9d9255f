import { DL3050 } from '../../../src/lint/rules/DL3050.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3050, {
  catches: [['FROM debian:12\nLABEL maintainer="me" extra="x"', 2]],
  passes: ['FROM debian:12\nLABEL maintainer="me"'],
  config: { labelSchema: { maintainer: 'text' }, strictLabels: true }
})
