import { DL3014 } from '../../../src/lint/rules/DL3014.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3014, {
  catches: [
    ['FROM debian:12\nRUN apt-get install python=2.7', 2],
    ['FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl=8', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get install -y python=2.7',
    'FROM debian:12\nRUN apt-get install --yes python=2.7',
    'FROM debian:12\nRUN apt-get install -qq python=2.7',
    'FROM debian:12\nRUN apt-get -yq install python=2.7',
    'FROM debian:12\nRUN apt-get install --assume-yes curl=8'
  ]
})
