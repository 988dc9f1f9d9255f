import { DL3048 } from '../../../src/lint/rules/DL3048.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3048, {
  catches: [
    ['FROM debian:12\nLABEL invalid_key="value"', 2],
    ['FROM debian:12\nLABEL com.docker.feature=1', 2],
    ['FROM debian:12\nLABEL Maintainer=x', 2],
    ['FROM debian:12\nLABEL org..x=1', 2]
  ],
  passes: [
    'FROM debian:12\nLABEL org.opencontainers.image.title="app" version="1.0"',
    'FROM debian:12\nLABEL a-b.c=1'
  ]
})
