import { DL3064 } from '../../../src/lint/rules/DL3064.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3064, {
  catches: [
    ['FROM debian:12\nARG GITHUB_TOKEN', 2],
    ['FROM debian:12\nENV DB_PASSWORD=x', 2],
    ['FROM debian:12\nENV MY_SECRET_THING=1', 2]
  ],
  passes: ['FROM debian:12\nARG VERSION=1.0', 'FROM debian:12\nENV PATH=/usr/local/bin:$PATH']
})
