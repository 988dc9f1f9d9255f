import { DL3044 } from '../../../src/lint/rules/DL3044.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3044, {
  catches: [
    ['FROM debian:12\nENV BLA="blubb" BLUBB="${BLA}/blubb"', 2],
    ['FROM debian:12\nENV A=1 B=$A', 2]
  ],
  passes: [
    'FROM debian:12\nENV BLA="blubb"\nENV BLUBB="${BLA}/blubb"',
    'FROM debian:12\nENV PATH=/opt/bin:$PATH',
    'FROM debian:12\nENV A=1 B=\\$A',
    'FROM debian:12\nENV A 1 $A'
  ]
})
