import { DL3059 } from '../../../src/lint/rules/DL3059.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3059, {
  catches: [
    ['FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl=8', 3],
    ['FROM debian:12\nRUN a\n# comment\nRUN b && c', 4]
  ],
  passes: [
    'FROM debian:12\nRUN a && b && c\nRUN d',
    'FROM debian:12\nRUN a\nRUN b && c && d',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl=8',
    'FROM debian:12\nRUN a\nWORKDIR /x\nRUN b',
    'FROM debian:12\nRUN a\nRUN --mount=type=cache,target=/root/.cache b'
  ]
})
