import { DL3036 } from '../../../src/lint/rules/DL3036.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3036, {
  catches: [['FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4.46', 2]],
  passes: [
    'FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4.46 && zypper clean',
    'FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4.46 && zypper cc'
  ]
})
