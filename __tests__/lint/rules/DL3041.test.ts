import { DL3041 } from '../../../src/lint/rules/DL3041.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM fedora:39\n'

ruleTests(DL3041, {
  catches: [
    [F + 'RUN dnf install -y httpd && dnf clean all', 2],
    ['FROM ubi9-minimal:9.3\nRUN microdnf install -y httpd && microdnf clean all', 2],
    [F + 'RUN dnf in -y httpd', 2],
    [F + 'RUN dnf upgrade -y openssl', 2],
    [F + 'RUN dnf rei -y httpd', 2],
    // the part after the dash is no version
    [F + 'RUN dnf install -y python3-devel', 2],
    // a module needs its stream
    [F + 'RUN dnf module install -y nodejs', 2],
    // a package named by a variable alone has no version
    [F + 'ARG PKG=httpd\nRUN dnf install -y $PKG', 3],
    // an rpm file without a version in its name
    [F + 'RUN dnf install -y /tmp/pkg.rpm', 2],
    [F + 'ONBUILD RUN dnf install -y httpd', 2],
    // a variable nothing declares
    [F + 'RUN dnf install -y httpd-${HTTPD_VERSION}', 2],
    // an ENV of a stage this one is not built from
    ['FROM fedora:39 AS a\nENV V=2.4.57\nFROM fedora:39\nRUN dnf install -y httpd-${V}', 4],
    // an ENV set after the RUN
    [F + 'RUN dnf install -y httpd-${V}\nENV V=2.4.57', 2],
    // a trigger runs in a child image, where this file's ARG is not declared
    [F + 'ARG V=2.4.57\nONBUILD RUN dnf install -y httpd-${V}', 3]
  ],
  passes: [
    F + 'RUN dnf install -y httpd-2.4.24 && dnf clean all',
    'FROM ubi9-minimal:9.3\nRUN microdnf install -y httpd-2.4.57',
    F + 'RUN dnf install -y java-11-openjdk',
    F + 'RUN dnf install -y httpd-2.4.57-1.fc39',
    F + 'RUN dnf install -y https://example.com/epel-release-9-7.noarch.rpm',
    // a module with its stream
    F + 'RUN dnf module install -y nodejs:18',
    // groups are not packages
    F + 'RUN dnf group install -y "Development Tools"',
    F + 'RUN dnf groupinstall -y development',
    // nothing installed
    F + 'RUN dnf upgrade -y',
    // a version from ARG or ENV, here or in an earlier stage
    F + 'ARG HTTPD_VERSION=2.4.57\nRUN dnf install -y httpd-${HTTPD_VERSION}',
    F + 'ENV V=2.4.57\nRUN dnf install -y httpd-$V',
    'FROM fedora:39 AS base\nENV V=2.4.57\nFROM base\nRUN microdnf install -y httpd-${V}',
    'FROM fedora:39 AS base\nENV V=2.4.57\nFROM base AS mid\nRUN true\nFROM mid\nRUN dnf install -y httpd-${V}',
    // an ARG declared before the first FROM, or in another stage, is known to hadolint
    'ARG V=2.4.57\nFROM fedora:39\nRUN dnf install -y "httpd-${V}"',
    'FROM fedora:39 AS a\nARG V=2.4.57\nFROM fedora:39\nRUN dnf install -y httpd-${V}',
    F + 'RUN notdnf install tomcat'
  ]
})
