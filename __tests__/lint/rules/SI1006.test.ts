import { SI1006 } from '../../../src/lint/rules/SI1006.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1006, {
  catches: [
    ['FROM debian:12\nRUN chmod 777 /app', 2],
    ['FROM debian:12\nRUN mkdir /data && chmod -R o+w /data', 2],
    ['FROM debian:12\nCOPY --chmod=666 a /a', 2]
  ],
  passes: [
    'FROM debian:12\nRUN chmod 755 /app',
    'FROM debian:12\nRUN chmod 1777 /tmp',
    'FROM debian:12\nRUN chmod u+x /entrypoint.sh',
    'FROM debian:12\nCOPY --chmod=755 a /a'
  ]
})
