import { DL3061 } from '../../../src/lint/rules/DL3061.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3061, {
  catches: [
    ['LABEL foo=bar\nFROM debian:12', 1],
    ['RUN echo x\nFROM debian:12', 1]
  ],
  passes: ['ARG BASE=debian:12\nFROM ${BASE}', '# comment\nFROM debian:12\nLABEL foo=bar']
})
