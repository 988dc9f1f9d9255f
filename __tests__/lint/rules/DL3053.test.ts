import { DL3053 } from '../../../src/lint/rules/DL3053.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3053, {
  catches: [
    ['FROM debian:12\nLABEL org.opencontainers.image.created="2024-13-45"', 2],
    ['FROM debian:12\nLABEL org.opencontainers.image.created="yesterday"', 2]
  ],
  passes: [
    'FROM debian:12\nLABEL org.opencontainers.image.created="2024-01-31T12:00:00Z"',
    'FROM debian:12\nLABEL org.opencontainers.image.created="2024-01-31T12:00:00.5+02:00"'
  ],
  config: { labelSchema: { 'org.opencontainers.image.created': 'rfc3339' } }
})
