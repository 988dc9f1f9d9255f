import { DL3055 } from '../../../src/lint/rules/DL3055.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3055, {
  catches: [
    ['FROM debian:12\nLABEL org.opencontainers.image.revision="not-a-hash"', 2],
    ['FROM debian:12\nLABEL org.opencontainers.image.revision="ABCDEF0123"', 2]
  ],
  passes: [
    'FROM debian:12\nLABEL org.opencontainers.image.revision="0123456789abcdef0123456789abcdef01234567"',
    'FROM debian:12\nLABEL org.opencontainers.image.revision="a1b2c3d"'
  ],
  config: { labelSchema: { 'org.opencontainers.image.revision': 'hash' } }
})
