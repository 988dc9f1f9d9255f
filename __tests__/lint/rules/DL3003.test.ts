import { DL3003 } from '../../../src/lint/rules/DL3003.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3003, {
  catches: [
    ['FROM debian:12\nRUN cd /usr/src/app && git pull', 2],
    ['FROM debian:12\nRUN (cd /tmp; make)', 2]
  ],
  passes: ['FROM debian:12\nWORKDIR /usr/src/app\nRUN git pull', 'FROM debian:12\nRUN echo cd']
})
