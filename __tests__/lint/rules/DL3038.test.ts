import { DL3038 } from '../../../src/lint/rules/DL3038.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM fedora:39\n'

ruleTests(DL3038, {
  catches: [
    [F + 'RUN dnf install httpd-2.4.24 && dnf clean all', 2],
    // microdnf is held to the same rule
    ['FROM ubi9-minimal:9.3\nRUN microdnf install httpd-2.4.57', 2],
    // the short and the other installing subcommands prompt too
    [F + 'RUN dnf in httpd-2.4.24', 2],
    [F + 'RUN dnf upgrade', 2],
    [F + 'RUN dnf up-min', 2],
    [F + 'RUN dnf rei httpd-2.4.24', 2],
    [F + 'RUN dnf groupinstall "Development Tools"', 2],
    [F + 'RUN dnf localinstall ./x-1.0.rpm', 2],
    // inside ONBUILD
    [F + 'ONBUILD RUN dnf install httpd-2.4.24', 2]
  ],
  passes: [
    F + 'RUN dnf install -y httpd-2.4.24 && dnf clean all',
    F + 'RUN dnf --assumeyes install httpd-2.4.24',
    // -y inside a cluster of short flags
    F + 'RUN dnf -qy install httpd-2.4.24',
    F + 'RUN microdnf upgrade -y',
    // not an installing subcommand
    F + 'RUN dnf makecache && dnf clean all',
    F + 'RUN notdnf install httpd'
  ]
})
