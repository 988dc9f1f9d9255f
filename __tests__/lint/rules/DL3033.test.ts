import { DL3033 } from '../../../src/lint/rules/DL3033.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3033, {
  catches: [['FROM centos:7\nRUN yum install -y httpd && yum clean all', 2]],
  passes: [
    'FROM centos:7\nRUN yum install -y httpd-2.4.24 && yum clean all',
    'FROM centos:7\nRUN yum install -y /tmp/local.rpm',
    'FROM centos:7\nRUN yum install -y @development'
  ]
})
