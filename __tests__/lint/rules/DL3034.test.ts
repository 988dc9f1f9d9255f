import { DL3034 } from '../../../src/lint/rules/DL3034.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3034, {
  catches: [['FROM opensuse/leap:15.5\nRUN zypper install httpd=2.4.46', 2]],
  passes: [
    'FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4.46',
    'FROM opensuse/leap:15.5\nRUN zypper --non-interactive install httpd=2.4.46',
    'FROM opensuse/leap:15.5\nRUN zypper -n in httpd=2.4.46',
    'FROM opensuse/leap:15.5\nRUN zypper refresh'
  ]
})
