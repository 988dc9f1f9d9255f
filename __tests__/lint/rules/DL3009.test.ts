import { DL3009 } from '../../../src/lint/rules/DL3009.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3009, {
  catches: [
    [F + 'RUN apt-get update && apt-get install -y python=2.7', 2],
    // apt and aptitude update the same lists
    [F + 'RUN apt update && apt install -y curl=8', 2],
    [F + 'RUN aptitude update && aptitude install -y curl=8', 2],
    // a stage that a later FROM builds on ends up in an image
    ['FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl=8\nFROM base\nRUN true', 2],
    // a stage with the same FROM as the last one is taken as the last one
    [F + 'RUN apt-get update\n' + F + 'RUN true', 2],
    // a cache mount of /var/lib/apt alone does not keep the lists out
    [F + 'RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl=8', 2],
    // a bind mount is no cache
    [F + 'RUN --mount=type=bind,target=/var/lib/apt/lists apt-get update', 2],
    [F + 'ONBUILD RUN apt-get update', 2],
    // a trigger runs in a child image, whatever becomes of this stage
    ['FROM debian:12 AS unused\nONBUILD RUN apt-get update\nFROM alpine:3.19\nRUN true', 2]
  ],
  passes: [
    F +
      'RUN apt-get update && apt-get install -y python=2.7 \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/*',
    // hadolint takes any `rm -rf` after the update as the cleanup
    F + 'RUN apt-get update && apt-get install -y curl=8 && rm -rf /tmp/build',
    F + 'RUN apt update && apt install -y curl=8 && rm -rf /var/lib/apt/lists/*',
    // hadolint does not look at where the removal stands
    F + 'RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl=8',
    // a stage that is only copied from is not reported
    'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc=12\nFROM debian:12-slim\nCOPY --from=build /x /x',
    // a stage nothing uses
    'FROM debian:12 AS unused\nRUN apt-get update\nFROM alpine:3.19\nRUN true',
    // the lists dir in a cache or tmpfs mount
    F + 'RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl=8',
    F + 'RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl=8',
    // both the state dir and the cache dir
    F +
      'RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl=8',
    F + 'RUN --mount=type=tmpfs,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update',
    // no update
    F + 'RUN apt-get install -y curl=8'
  ]
})
