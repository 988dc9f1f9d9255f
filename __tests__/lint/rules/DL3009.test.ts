import { DL3009 } from '../../../src/lint/rules/DL3009.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3009, {
  catches: [
    ['FROM debian:12\nRUN apt-get update && apt-get install -y python=2.7', 2],
    ['FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl=8\nFROM base\nRUN true', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y python=2.7 \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/*',
    'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc=12\nFROM debian:12\nCOPY --from=build /x /x',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl=8',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl=8'
  ]
})
