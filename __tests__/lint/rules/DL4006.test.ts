import { DL4006 } from '../../../src/lint/rules/DL4006.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL4006, {
  catches: [
    ['FROM debian:12\nRUN wget -O - https://some.site | wc -l > /number', 2],
    ['FROM debian:12\nRUN (a && b) | tee log', 2]
  ],
  passes: [
    'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l > /number',
    'FROM debian:12\nRUN set -o pipefail && wget -O - https://x | wc -l',
    'FROM debian:12\nRUN a || b',
    'FROM debian:12\nRUN ["sh", "-c", "a | b"]',
    'FROM mcr.microsoft.com/powershell:7.4\nSHELL ["pwsh", "-command"]\nRUN Get-Process | Stop-Process',
    "FROM debian:12\nRUN echo 'a | b'"
  ]
})
