import { DL3004 } from '../../../src/lint/rules/DL3004.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3004, {
  catches: [
    ['FROM debian:12\nRUN sudo apt-get install -y curl', 2],
    ['FROM debian:12\nRUN apt-get update && sudo rm -rf /tmp/x', 2]
  ],
  passes: ['FROM debian:12\nRUN gosu root true', 'FROM debian:12\nRUN apt-get install -y sudo=1.9']
})
