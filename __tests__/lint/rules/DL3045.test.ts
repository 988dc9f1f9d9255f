import { DL3045 } from '../../../src/lint/rules/DL3045.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3045, {
  catches: [
    ['FROM debian:12\nCOPY package.json .', 2],
    ['FROM debian:12 AS base\nFROM base\nCOPY a b', 3]
  ],
  passes: [
    'FROM debian:12\nWORKDIR /app\nCOPY package.json .',
    'FROM debian:12\nCOPY package.json /app/',
    'FROM debian:12 AS base\nWORKDIR /app\nFROM base\nCOPY a b',
    'FROM debian:12\nCOPY a $HOME/a'
  ]
})
