import { DL4005 } from '../../../src/lint/rules/DL4005.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL4005, {
  catches: [['FROM debian:12\nRUN ln -sfv /bin/bash /bin/sh', 2]],
  passes: [
    'FROM debian:12\nSHELL ["/bin/bash", "-c"]',
    'FROM debian:12\nRUN ln -s /usr/bin/python3 /usr/bin/python'
  ]
})
