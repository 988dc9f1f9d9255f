import { DL3018 } from '../../../src/lint/rules/DL3018.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3018, {
  catches: [
    ['FROM alpine:3.19\nRUN apk add --no-cache python3', 2],
    ['FROM alpine:3.19\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev', 2]
  ],
  passes: [
    'FROM alpine:3.19\nRUN apk add --no-cache python3=3.11.6-r0',
    'FROM alpine:3.19\nRUN apk add --no-cache --virtual .deps gcc=13.2.1-r0',
    'FROM alpine:3.19\nRUN apk update',
    'FROM alpine:3.19\nRUN apk add --no-cache ./local.apk'
  ]
})
