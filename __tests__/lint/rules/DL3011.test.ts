import { DL3011 } from '../../../src/lint/rules/DL3011.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3011, {
  catches: [
    ['FROM debian:12\nEXPOSE 80000', 2],
    ['FROM debian:12\nEXPOSE 80 65536/tcp', 2],
    ['FROM debian:12\nEXPOSE 8000-70000', 2]
  ],
  passes: [
    'FROM debian:12\nEXPOSE 65535',
    'FROM debian:12\nEXPOSE 80/tcp 443/udp',
    'FROM debian:12\nEXPOSE $PORT',
    'FROM debian:12\nEXPOSE 8000-8100'
  ]
})
