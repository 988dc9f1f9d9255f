import { DL3036 } from '../../../src/lint/rules/DL3036.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM opensuse/leap:15.5\n'

ruleTests(DL3036, {
  catches: [
    [F + 'RUN zypper install -y httpd=2.4.46', 2],
    [F + 'RUN zypper in -y httpd=2.4.46', 2],
    // a clean before the install does not count
    [F + 'RUN zypper clean && zypper install -y httpd=2.4.46', 2],
    [F + 'RUN --mount=type=bind,target=/var/cache/zypp zypper install -y httpd=2.4.46', 2],
    [F + 'ONBUILD RUN zypper install -y httpd=2.4.46', 2]
  ],
  passes: [
    F + 'RUN zypper install -y httpd=2.4.46 && zypper clean',
    F + 'RUN zypper install -y httpd=2.4.46 && zypper cc',
    F + 'RUN zypper -n in httpd=2.4.46 && zypper clean -a',
    F + 'RUN --mount=type=cache,target=/var/cache/zypp zypper install -y httpd=2.4.46',
    F + 'RUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y httpd=2.4.46',
    F + 'RUN zypper refresh'
  ]
})
