import { DL3052 } from '../../../src/lint/rules/DL3052.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3052, {
  catches: [['FROM debian:12\nLABEL org.opencontainers.image.url="not a url"', 2]],
  passes: [
    'FROM debian:12\nLABEL org.opencontainers.image.url="https://example.com/project"',
    'FROM debian:12\nLABEL org.opencontainers.image.url="$URL"'
  ],
  config: { labelSchema: { 'org.opencontainers.image.url': 'url' } }
})
