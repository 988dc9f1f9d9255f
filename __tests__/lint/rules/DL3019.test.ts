import { DL3019 } from '../../../src/lint/rules/DL3019.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3019, {
  catches: [
    ['FROM alpine:3.19\nRUN apk add python3=3.11.6-r0', 2],
    ['FROM alpine:3.19\nRUN apk update && apk add curl=8.5.0-r0', 2]
  ],
  passes: [
    'FROM alpine:3.19\nRUN apk add --no-cache python3=3.11.6-r0',
    'FROM alpine:3.19\nRUN --mount=type=cache,target=/var/cache/apk apk add python3=3.11.6-r0',
    'FROM alpine:3.19\nRUN apk info'
  ]
})
