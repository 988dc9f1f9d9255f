import { DL3041 } from '../../../src/lint/rules/DL3041.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3041, {
  catches: [['FROM fedora:39\nRUN dnf install -y httpd && dnf clean all', 2]],
  passes: [
    'FROM fedora:39\nRUN dnf install -y httpd-2.4.24 && dnf clean all',
    'FROM fedora:39\nRUN dnf install -y /tmp/pkg.rpm'
  ]
})
