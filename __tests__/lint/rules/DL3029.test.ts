import { DL3029 } from '../../../src/lint/rules/DL3029.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3029, {
  catches: [['FROM --platform=linux/amd64 debian:12', 1]],
  passes: ['FROM debian:12', 'FROM --platform=$BUILDPLATFORM debian:12 AS build']
})
