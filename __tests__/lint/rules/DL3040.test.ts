import { DL3040 } from '../../../src/lint/rules/DL3040.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM fedora:39\n'

ruleTests(DL3040, {
  catches: [
    [F + 'RUN dnf install -y httpd-2.4.24', 2],
    ['FROM ubi9-minimal:9.3\nRUN microdnf install -y httpd-2.4.57', 2],
    // the aliases install too
    [F + 'RUN dnf in -y httpd-2.4.24', 2],
    [F + 'RUN dnf upgrade -y', 2],
    [F + 'RUN dnf upgrade-minimal -y', 2],
    [F + 'RUN dnf reinstall -y httpd-2.4.24', 2],
    // a clean before the install removes nothing the install leaves
    [F + 'RUN dnf clean all && dnf install -y httpd-2.4.24', 2],
    // each tool cleans its own cache: microdnf's clean does not count for dnf
    [F + 'RUN dnf install -y httpd-2.4.24 && microdnf clean all', 2],
    // a cache mount elsewhere than dnf5's cache dir does not count
    [F + 'RUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd-2.4.24', 2],
    // a bind mount is not a cache
    [F + 'RUN --mount=type=bind,target=/var/cache/libdnf5 dnf install -y httpd-2.4.24', 2],
    [F + 'ONBUILD RUN dnf install -y httpd-2.4.24', 2]
  ],
  passes: [
    F + 'RUN dnf install -y httpd-2.4.24 && dnf clean all',
    'FROM ubi9-minimal:9.3\nRUN microdnf install -y httpd-2.4.57 && microdnf clean all',
    F + 'RUN dnf install -y httpd-2.4.24 && rm -rf /var/cache/dnf',
    F + 'RUN dnf install -y httpd-2.4.24 && rm -rf /var/cache/yum/*',
    // dnf5's cache dir as a cache or tmpfs mount
    F + 'RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd-2.4.24',
    F + 'RUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf install -y httpd-2.4.24',
    F + 'RUN --mount=type=cache,target=/root/.cache/libdnf5 dnf install -y httpd-2.4.24',
    // nothing installed
    F + 'RUN dnf makecache',
    F + 'RUN notdnf install mariadb'
  ]
})
