import { DL3058 } from '../../../src/lint/rules/DL3058.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3058, {
  catches: [
    ['FROM debian:12\nLABEL maintainer="not an email"', 2],
    ['FROM debian:12\nLABEL maintainer="me@"', 2]
  ],
  passes: [
    'FROM debian:12\nLABEL maintainer="team@example.com"',
    'FROM debian:12\nLABEL maintainer="first.last+tag@mail.example.org"'
  ],
  config: { labelSchema: { maintainer: 'email' } }
})
