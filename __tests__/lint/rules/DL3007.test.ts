import { DL3007 } from '../../../src/lint/rules/DL3007.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3007, {
  catches: [
    ['FROM debian:latest', 1],
    ['ARG TAG=latest\nFROM debian:${TAG}', 2]
  ],
  passes: [
    'FROM debian:12',
    'FROM debian:latest@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    'FROM latest:1'
  ]
})
