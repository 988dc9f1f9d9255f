import { DL3022 } from '../../../src/lint/rules/DL3022.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3022, {
  catches: [
    ['FROM debian:12\nCOPY --from=build /app /app', 2],
    ['FROM debian:12\nCOPY --from=builder /a /a\nFROM debian:12 AS builder', 2]
  ],
  passes: [
    'FROM debian:12 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /app /app',
    'FROM debian:12\nFROM debian:12\nCOPY --from=0 /a /a',
    'FROM debian:12\nCOPY --from=nginx:latest /etc/nginx /etc/nginx',
    'FROM debian:12 AS Build\nFROM debian:12\nCOPY --from=build /a /a'
  ]
})
