import { DL4001 } from '../../../src/lint/rules/DL4001.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL4001, {
  catches: [
    ['FROM debian:12\nRUN wget -q http://example.com/a\nRUN curl -fsS http://example.com/b', 3],
    ['FROM debian:12\nRUN wget -q http://a && curl -fsS http://b', 2]
  ],
  passes: [
    'FROM debian:12\nRUN curl -fsS http://example.com/a\nRUN curl -fsS http://example.com/b',
    'FROM debian:12 AS a\nRUN wget -q http://x\nFROM debian:12\nRUN curl -fsS http://y'
  ]
})
