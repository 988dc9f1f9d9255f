import { SI1013 } from '../../../src/lint/rules/SI1013.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1013, {
  catches: [
    ['FROM debian:12\nRUN apt-get update && apt-get install -y build-essential libssl-dev', 2],
    ['FROM alpine:3.20\nRUN apk add --no-cache gcc musl-dev', 2],
    ['FROM rockylinux:9\nRUN yum install -y gcc-c++ openssl-devel', 2],
    ['FROM debian:12\nRUN apt-get install -y gcc-12=12.2.0-14', 2],
    // The final stage is built FROM a stage that installed a compiler.
    ['FROM debian:12 AS base\nRUN apt-get install -y gcc\nFROM base\nCMD ["app"]', 2],
    // Removing a different package does not help.
    ['FROM debian:12\nRUN apt-get install -y gcc make\nRUN apt-get purge -y make', 2],
    // apt-mark auto without the purge removes nothing.
    ['FROM debian:12\nRUN apt-get install -y gcc && apt-mark auto gcc', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get install -y curl ca-certificates',
    // Multi-stage: the compiler stays in the build stage.
    'FROM debian:12 AS build\nRUN apt-get install -y build-essential && make\nFROM debian:12\nCOPY --from=build /app /app',
    'FROM debian:12\nRUN apt-get install -y gcc libc6-dev && make && apt-get purge -y gcc libc6-dev',
    'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps',
    'FROM debian:12\nRUN apt-get install -y $buildDeps && make && apt-get purge -y --auto-remove $buildDeps',
    'FROM debian:12\nRUN apt-get install -y libssl3 devscripts-el',
    // The official images' cleanup: mark everything auto, re-mark the saved list, purge the rest.
    'FROM debian:12\nRUN saved="$(apt-mark showmanual)"; apt-get install -y gcc libssl-dev; make; apt-mark auto ".*"; apt-mark manual $saved; apt-get purge -y --auto-remove',
    'FROM debian:12\nRUN apt-get install -y dpkg-dev && apt-mark showmanual | xargs apt-mark auto && apt-get purge -y --auto-remove'
  ]
})
