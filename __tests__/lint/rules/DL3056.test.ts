import { DL3056 } from '../../../src/lint/rules/DL3056.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3056, {
  catches: [
    ['FROM debian:12\nLABEL org.opencontainers.image.version="1.0"', 2],
    ['FROM debian:12\nLABEL org.opencontainers.image.version="v-one"', 2]
  ],
  passes: [
    'FROM debian:12\nLABEL org.opencontainers.image.version="1.0.0"',
    'FROM debian:12\nLABEL org.opencontainers.image.version="2.1.0-rc.1+build.5"'
  ],
  config: { labelSchema: { 'org.opencontainers.image.version': 'semver' } }
})
