import { DL3032 } from '../../../src/lint/rules/DL3032.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM centos:7\n'

ruleTests(DL3032, {
  catches: [
    [F + 'RUN yum install -y httpd-2.4.24', 2],
    [F + 'RUN yum -y install httpd-2.4.24 && rm /tmp/x', 2],
    [F + 'ONBUILD RUN yum install -y httpd-2.4.24', 2]
  ],
  passes: [
    F + 'RUN yum install -y httpd-2.4.24 && yum clean all',
    F + 'RUN yum install -y httpd-2.4.24 && rm -rf /var/cache/yum',
    F + 'RUN yum install -y httpd-2.4.24 && rm -r -f /var/cache/yum/*',
    F + 'RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.24',
    F + 'RUN --mount=type=tmpfs,target=/var/cache/yum yum install -y httpd-2.4.24',
    F + 'RUN yum list',
    // a comment line ending in a backslash between the install and the clean
    F + 'RUN yum install -y httpd-2.4.24 \\\n    # then clean up \\\n    && yum clean all',
    F + 'RUN bash -c `# not even a yum command`'
  ]
})
