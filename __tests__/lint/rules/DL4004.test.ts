import { DL4004 } from '../../../src/lint/rules/DL4004.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL4004, {
  catches: [['FROM debian:12\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]', 3]],
  passes: [
    'FROM debian:12\nENTRYPOINT ["a"]',
    'FROM debian:12 AS a\nENTRYPOINT ["a"]\nFROM debian:12\nENTRYPOINT ["b"]'
  ]
})
