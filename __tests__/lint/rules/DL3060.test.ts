import { DL3060 } from '../../../src/lint/rules/DL3060.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM node:20\n'

ruleTests(DL3060, {
  catches: [
    [F + 'RUN yarn install', 2],
    [F + 'RUN yarn install --frozen-lockfile && yarn build', 2],
    [F + 'RUN --mount=type=cache,target=/root/.npm yarn install', 2],
    [F + 'ONBUILD RUN yarn install', 2]
  ],
  passes: [
    F + 'RUN yarn install && yarn cache clean',
    F + 'RUN yarn install --frozen-lockfile; yarn cache clean --all',
    F + 'RUN yarn build',
    // hadolint does not look at where the clean stands
    F + 'RUN yarn cache clean && yarn install',
    F + 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install',
    F + 'RUN --mount=type=tmpfs,target=/root/.cache/yarn yarn install'
  ]
})
