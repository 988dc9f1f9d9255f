import { SI1010 } from '../../../src/lint/rules/SI1010.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1010, {
  catches: [
    ['FROM debian:12\nWORKDIR /app\nCOPY . .', 3],
    ['FROM debian:12\nCOPY ["./", "/app/"]', 2],
    ['FROM debian:12\nADD config /etc/app/', 2]
  ],
  passes: [
    'FROM debian:12\nCOPY src/ /app/src/',
    'FROM debian:12\nCOPY --from=busybox:stable /bin/busybox /bin/',
    'FROM debian:12\nCOPY package.json /app/'
  ],
  contextFiles: [
    'Dockerfile',
    'src/main.js',
    'package.json',
    '.env',
    '.git/HEAD',
    '.git/config',
    'config/server.pem',
    'config/app.yaml'
  ]
})
