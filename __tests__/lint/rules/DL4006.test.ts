import { DL4006 } from '../../../src/lint/rules/DL4006.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'
const BASH = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'

ruleTests(DL4006, {
  catches: [
    [F + 'RUN wget -O - https://some.site | wc -l > /number', 2],
    [F + 'RUN (a && b) | tee log', 2],
    // a pipe inside a substitution
    [F + 'RUN echo "$(ls | wc -l)" > /count', 2],
    // pipefail set inside the RUN is not what hadolint looks for
    [F + 'RUN set -o pipefail && wget -O - https://x | wc -l', 2],
    // plain sh does not count
    [F + 'SHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b', 3],
    // a later SHELL without it
    [F + BASH + 'RUN a | b\nSHELL ["/bin/sh", "-c"]\nRUN a | b', 5],
    // each FROM starts without it, also one built on the stage that set it
    ['FROM debian:12 AS base\n' + BASH + 'RUN a | b\nFROM base\nRUN a | b', 5],
    // the SHELL comes after the RUN
    [F + 'RUN a | b\n' + BASH, 2],
    // exec form through a shell
    [F + 'RUN ["sh", "-c", "a | b"]', 2],
    // a comment line ending in a backslash inside the RUN does not hide the pipe after it
    [F + 'RUN echo a \\\n    # the next line pipes \\\n    | cat', 2]
  ],
  passes: [
    F + BASH + 'RUN wget -O - https://some.site | wc -l > /number',
    F + 'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b',
    F + 'SHELL ["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]\nRUN a | b',
    F + 'SHELL ["/usr/local/bin/zsh", "-o", "pipefail", "-c"]\nRUN a | b',
    F + 'SHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a | b',
    F + 'RUN a || b',
    "FROM debian:12\nRUN echo 'a | b'",
    'FROM mcr.microsoft.com/powershell:7.4\nSHELL ["pwsh", "-command"]\nRUN Get-Process | Stop-Process',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["cmd.exe", "/S", "/C"]\nRUN dir | more',
    // a comment line ending in a backslash before the SHELL does not swallow it
    F + '# \\\n' + BASH + 'RUN a | b',
    // the pipe is only in a comment line between continuation lines
    F + 'RUN echo a \\\n    # | not a pipe \\\n    && echo b',
    // the SHELL of a later stage does not reach back
    'FROM debian:12 AS a\n' + BASH + 'RUN a | b\nFROM debian:12\n' + BASH + 'RUN c | d'
  ]
})
