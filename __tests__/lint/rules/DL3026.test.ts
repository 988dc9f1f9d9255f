import { DL3026 } from '../../../src/lint/rules/DL3026.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3026, {
  catches: [
    ['FROM ghcr.io/randomguy/python:3.12', 1],
    ['FROM quay.io/team/app:1.0', 1]
  ],
  passes: [
    'FROM docker.io/library/debian:12',
    'FROM debian:12',
    'FROM my.registry.example.com/team/app:1.0',
    'FROM scratch',
    'FROM debian:12 AS base\nFROM base'
  ],
  config: { trustedRegistries: ['docker.io', '*.registry.example.com'] }
})
