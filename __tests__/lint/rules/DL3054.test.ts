import { DL3054 } from '../../../src/lint/rules/DL3054.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3054, {
  catches: [
    ['FROM debian:12\nLABEL org.opencontainers.image.licenses="MIT-ish"', 2],
    ['FROM debian:12\nLABEL org.opencontainers.image.licenses="GPL"', 2]
  ],
  passes: [
    'FROM debian:12\nLABEL org.opencontainers.image.licenses="MIT"',
    'FROM debian:12\nLABEL org.opencontainers.image.licenses="(MIT OR Apache-2.0)"',
    'FROM debian:12\nLABEL org.opencontainers.image.licenses="GPL-2.0-or-later WITH Classpath-exception-2.0"'
  ],
  config: { labelSchema: { 'org.opencontainers.image.licenses': 'spdx' } }
})
