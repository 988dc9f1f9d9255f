import { SI1002 } from '../../../src/lint/rules/SI1002.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1002, {
  catches: [
    ['FROM debian:12\nENV AWS_SECRET_ACCESS_KEY=abc123', 2],
    ['FROM debian:12\nARG GITHUB_TOKEN', 2],
    ['FROM debian:12\nENV DB_PASSWORD secret', 2],
    ['FROM debian:12\nENV SETTING=AKIAIOSFODNN7EXAMPLE', 2]
  ],
  passes: [
    'FROM debian:12\nENV GPG_KEY=0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D',
    'FROM debian:12\nENV PASSWORD_FILE=/run/secrets/db',
    'FROM debian:12\nENV API_TOKEN=$API_TOKEN',
    'FROM debian:12\nARG VERSION=1.0',
    'FROM debian:12\nENV PUBLIC_KEY=abc'
  ]
})
