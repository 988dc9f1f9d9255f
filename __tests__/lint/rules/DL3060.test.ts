import { DL3060 } from '../../../src/lint/rules/DL3060.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3060, {
  catches: [['FROM debian:12\nRUN yarn install', 2]],
  passes: [
    'FROM debian:12\nRUN yarn install && yarn cache clean',
    'FROM debian:12\nRUN yarn build',
    'FROM debian:12\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install'
  ]
})
