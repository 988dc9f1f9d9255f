import { DL3040 } from '../../../src/lint/rules/DL3040.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3040, {
  catches: [
    ['FROM fedora:39\nRUN dnf install -y httpd-2.4.24', 2],
    ['FROM ubi9-minimal:9.3\nRUN microdnf install -y httpd-2.4.57', 2]
  ],
  passes: [
    'FROM fedora:39\nRUN dnf install -y httpd-2.4.24 && dnf clean all',
    'FROM fedora:39\nRUN dnf install -y httpd-2.4.24 && rm -rf /var/cache/dnf',
    'FROM fedora:39\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd-2.4.24'
  ]
})
