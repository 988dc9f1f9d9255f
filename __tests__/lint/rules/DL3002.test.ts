import { DL3002 } from '../../../src/lint/rules/DL3002.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3002, {
  catches: [
    ['FROM debian:12\nUSER root', 2],
    ['FROM debian:12\nUSER app\nFROM debian:12\nUSER 0:0', 4],
    ['FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER 10001', 2]
  ],
  passes: [
    'FROM debian:12\nUSER root\nRUN apt-get update\nUSER app',
    'FROM debian:12\nUSER rootless',
    'FROM debian:12\nRUN x'
  ]
})
