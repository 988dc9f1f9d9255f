import { SI1008 } from '../../../src/lint/rules/SI1008.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1008, {
  catches: [
    ['FROM debian:12\nRUN apt-get update && apt-get upgrade -y', 2],
    ['FROM debian:12\nRUN apt-get dist-upgrade -y', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --only-upgrade openssl=3.0.13-1',
    'FROM debian:12\nRUN apt-get update'
  ]
})
