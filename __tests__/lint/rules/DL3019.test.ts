import { DL3019 } from '../../../src/lint/rules/DL3019.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM alpine:3.19\n'

ruleTests(DL3019, {
  catches: [
    [F + 'RUN apk add python3=3.11.6-r0', 2],
    [F + 'RUN apk update && apk add curl=8.5.0-r0', 2],
    // `add` anywhere in the command's words
    [F + 'RUN apk -U add curl=8.5.0-r0', 2],
    // a cache mount somewhere else
    [F + 'RUN --mount=type=cache,target=/root/.cache apk add curl=8.5.0-r0', 2],
    [F + 'ONBUILD RUN apk add curl=8.5.0-r0', 2]
  ],
  passes: [
    F + 'RUN apk add --no-cache python3=3.11.6-r0',
    F + 'RUN apk --no-cache add python3=3.11.6-r0',
    F + 'RUN --mount=type=cache,target=/var/cache/apk apk add python3=3.11.6-r0',
    F + 'RUN --mount=type=tmpfs,target=/var/cache/apk apk add python3=3.11.6-r0',
    F + 'RUN apk info'
  ]
})
