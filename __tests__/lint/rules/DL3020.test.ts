import { DL3020 } from '../../../src/lint/rules/DL3020.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3020, {
  catches: [
    ['FROM debian:12\nADD requirements.txt /usr/src/app/', 2],
    ['FROM debian:12\nADD ["app", "/app/"]', 2]
  ],
  passes: [
    'FROM debian:12\nCOPY requirements.txt /usr/src/app/',
    'FROM debian:12\nADD https://example.com/file.txt /tmp/',
    'FROM debian:12\nADD rootfs.tar.xz /',
    'FROM debian:12\nADD git@github.com:moby/buildkit.git /src'
  ]
})
