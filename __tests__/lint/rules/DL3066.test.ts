import { DL3066 } from '../../../src/lint/rules/DL3066.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3066, {
  catches: [
    ['FROM debian:12\nUSER app', 2],
    ['FROM debian:12\nUSER app:app', 2]
  ],
  passes: ['FROM debian:12\nUSER 10001', 'FROM debian:12\nUSER 10001:10001', 'FROM debian:12\nUSER $APP_UID']
})
