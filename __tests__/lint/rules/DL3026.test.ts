import { DL3026 } from '../../../src/lint/rules/DL3026.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3026, {
  catches: [
    ['FROM ghcr.io/randomguy/python:3.12', 1],
    ['FROM quay.io/team/app:1.0', 1],
    // images pulled by COPY --from and RUN --mount from=
    ['FROM debian:12\nCOPY --from=ghcr.io/evil/tools:1 /bin/x /bin/x', 2],
    ['FROM debian:12\nRUN --mount=type=bind,from=quay.io/x/y:1,target=/src make', 2],
    ['FROM debian:12\nRUN --mount=type=cache,from=quay.io/x/y:1,target=/cache make', 2],
    // registries compare as written
    ['FROM REGISTRY.example.com/team/app:1.0', 1]
  ],
  passes: [
    'FROM docker.io/library/debian:12',
    'FROM debian:12',
    'FROM my.registry.example.com/team/app:1.0',
    'FROM scratch',
    'FROM debian:12 AS base\nFROM base',
    // a stage alias is no image
    'FROM debian:12 AS build\nFROM debian:12\nCOPY --from=build /x /x',
    'FROM debian:12 AS build\nFROM debian:12\nRUN --mount=type=bind,from=build,target=/src make',
    // trusted images in COPY --from and mounts
    'FROM debian:12\nCOPY --from=my.registry.example.com/tools:1 /x /x',
    'FROM debian:12\nCOPY --from=busybox:stable /bin/busybox /bin/busybox',
    'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache make',
    'FROM debian:12\nRUN --mount=type=secret,id=token make'
  ],
  config: { trustedRegistries: ['docker.io', '*.registry.example.com'] }
})

// Without Docker Hub among the trusted registries.
ruleTests(DL3026, {
  catches: [
    ['FROM debian:12', 1],
    ['FROM docker.io/library/debian:12', 1],
    // hadolint knows stages by alias, not by number: `--from=0` reads as an image of Docker Hub
    ['FROM my.registry.example.com/a:1 AS a\nFROM my.registry.example.com/b:1\nCOPY --from=0 /x /x', 3]
  ],
  passes: [
    'FROM scratch',
    'FROM my.registry.example.com/a:1 AS a\nFROM a\nCOPY --from=a /x /x',
    // a prefix pattern
    'FROM ghcr.io/acme/app:1\nCOPY --from=ghcr.io/acme/tools:1 /x /x'
  ],
  config: { trustedRegistries: ['*.registry.example.com', 'ghcr.*'] }
})
