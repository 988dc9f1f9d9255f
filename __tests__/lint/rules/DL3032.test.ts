import { DL3032 } from '../../../src/lint/rules/DL3032.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3032, {
  catches: [['FROM centos:7\nRUN yum install -y httpd-2.4.24', 2]],
  passes: [
    'FROM centos:7\nRUN yum install -y httpd-2.4.24 && yum clean all',
    'FROM centos:7\nRUN yum install -y httpd-2.4.24 && rm -rf /var/cache/yum',
    'FROM centos:7\nRUN yum list'
  ]
})
