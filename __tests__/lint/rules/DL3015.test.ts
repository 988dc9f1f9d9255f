import { DL3015 } from '../../../src/lint/rules/DL3015.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3015, {
  catches: [['FROM debian:12\nRUN apt-get install -y python=2.7', 2]],
  passes: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends python=2.7',
    'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y python=2.7',
    'FROM debian:12\nRUN apt-get update'
  ]
})
