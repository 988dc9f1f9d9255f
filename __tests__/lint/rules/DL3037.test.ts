import { DL3037 } from '../../../src/lint/rules/DL3037.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3037, {
  catches: [['FROM opensuse/leap:15.5\nRUN zypper install -y httpd && zypper clean', 2]],
  passes: [
    'FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4.46 && zypper clean',
    "FROM opensuse/leap:15.5\nRUN zypper install -y 'httpd>=2.4' && zypper clean"
  ]
})
