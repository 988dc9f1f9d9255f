import { DL3027 } from '../../../src/lint/rules/DL3027.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3027, {
  catches: [
    ['FROM debian:12\nRUN apt install -y curl=8', 2],
    ['FROM debian:12\nRUN apt-get update && apt upgrade', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get install -y curl=8',
    'FROM debian:12\nRUN apt-cache show curl',
    'FROM debian:12\nRUN echo apt'
  ]
})
