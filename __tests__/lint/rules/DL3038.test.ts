import { DL3038 } from '../../../src/lint/rules/DL3038.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3038, {
  catches: [['FROM fedora:39\nRUN dnf install httpd-2.4.24 && dnf clean all', 2]],
  passes: [
    'FROM fedora:39\nRUN dnf install -y httpd-2.4.24 && dnf clean all',
    'FROM fedora:39\nRUN dnf --assumeyes install httpd-2.4.24'
  ]
})
