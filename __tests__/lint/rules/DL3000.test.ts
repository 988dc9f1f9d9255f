import { DL3000 } from '../../../src/lint/rules/DL3000.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3000, {
  catches: [['FROM debian:12\nWORKDIR usr/src/app', 2]],
  passes: [
    'FROM debian:12\nWORKDIR /usr/src/app',
    'FROM debian:12\nWORKDIR $HOME',
    'FROM debian:12\nWORKDIR C:\\\\app',
    'FROM debian:12\nWORKDIR "/quoted/path"'
  ]
})
