import { DL3065 } from '../../../src/lint/rules/DL3065.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3065, {
  catches: [
    ['FROM --platform=$TARGETPLATFORM debian:12', 1],
    ['FROM --platform=${TARGETPLATFORM} debian:12', 1]
  ],
  passes: ['FROM --platform=$BUILDPLATFORM debian:12', 'FROM debian:12']
})
