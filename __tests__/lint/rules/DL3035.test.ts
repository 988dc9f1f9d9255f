import { DL3035 } from '../../../src/lint/rules/DL3035.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3035, {
  catches: [
    ['FROM opensuse/leap:15.5\nRUN zypper dist-upgrade', 2],
    ['FROM opensuse/leap:15.5\nRUN zypper -n dup', 2]
  ],
  passes: [
    'FROM opensuse/leap:15.5\nRUN zypper -n install httpd=2.4.46 && zypper clean',
    'FROM opensuse/leap:15.5\nRUN zypper -n patch'
  ]
})
