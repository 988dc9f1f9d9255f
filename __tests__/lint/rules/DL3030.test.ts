import { DL3030 } from '../../../src/lint/rules/DL3030.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3030, {
  catches: [['FROM centos:7\nRUN yum install httpd-2.4.24 && yum clean all', 2]],
  passes: [
    'FROM centos:7\nRUN yum install -y httpd-2.4.24 && yum clean all',
    'FROM centos:7\nRUN yum --assumeyes install httpd-2.4.24'
  ]
})
