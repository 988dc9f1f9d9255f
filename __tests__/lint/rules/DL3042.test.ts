import { DL3042 } from '../../../src/lint/rules/DL3042.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3042, {
  catches: [
    ['FROM debian:12\nRUN pip install django==1.9', 2],
    ['FROM debian:12\nRUN python3 -m pip install --user django==1.9', 2],
    ['FROM debian:12\nENV PIP_NO_CACHE_DIR=0\nRUN pip install django==1.9', 3]
  ],
  passes: [
    'FROM debian:12\nRUN pip install --no-cache-dir django==1.9',
    'FROM debian:12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install django==1.9',
    'FROM debian:12\nRUN PIP_NO_CACHE_DIR=1 pip install django==1.9',
    'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache/pip pip install django==1.9',
    'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip install django==1.9',
    'FROM debian:12\nRUN pipenv install'
  ]
})
