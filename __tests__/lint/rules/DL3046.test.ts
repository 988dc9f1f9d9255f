import { DL3046 } from '../../../src/lint/rules/DL3046.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3046, {
  catches: [['FROM debian:12\nRUN useradd -u 123456 foobar', 2]],
  passes: [
    'FROM debian:12\nRUN useradd -l -u 123456 foobar',
    'FROM debian:12\nRUN useradd --no-log-init -u 123456 foobar',
    'FROM debian:12\nRUN useradd -u 10001 app',
    'FROM debian:12\nRUN useradd app'
  ]
})
