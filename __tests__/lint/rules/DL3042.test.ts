import { DL3042 } from '../../../src/lint/rules/DL3042.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3042, {
  catches: [
    [F + 'RUN pip install django==1.9', 2],
    [F + 'RUN python3 -m pip install --user django==1.9', 2],
    [F + 'ENV PIP_NO_CACHE_DIR=0\nRUN pip install django==1.9', 3],
    // the ENV must come before the RUN
    [F + 'RUN pip install django==1.9\nENV PIP_NO_CACHE_DIR=1', 2],
    // an ENV of another stage that this one is not built from
    [
      'FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12-slim AS b\nRUN pip install django==1.9',
      4
    ],
    // a value that is not one of the truthy words, as written (quotes and all)
    [F + 'RUN export PIP_NO_CACHE_DIR=false && pip install django==1.9', 2],
    [F + 'RUN PIP_NO_CACHE_DIR="1" pip install django==1.9', 2],
    // a cache mount somewhere else
    [F + 'RUN --mount=type=cache,target=/root/.cache/uv pip install django==1.9', 2],
    [F + 'ONBUILD RUN pip install django==1.9', 2],
    // the stage's ENV does not reach a trigger: the child image runs it
    [F + 'ENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install django==1.9', 3]
  ],
  passes: [
    F + 'RUN pip install --no-cache-dir django==1.9',
    F + 'ENV PIP_NO_CACHE_DIR=1\nRUN pip install django==1.9',
    F + 'ENV PIP_NO_CACHE_DIR=yes\nRUN pip install django==1.9',
    F + 'RUN PIP_NO_CACHE_DIR=1 pip install django==1.9',
    // set by export, in any truthy spelling
    F + 'RUN export PIP_NO_CACHE_DIR=1 && pip install django==1.9',
    F + 'RUN export PIP_NO_CACHE_DIR=on && pip install django==1.9',
    F + 'RUN export PIP_NO_CACHE_DIR=yes; pip install django==1.9',
    F + 'RUN export PIP_NO_CACHE_DIR=TRUE && pip install django==1.9',
    // pip's cache in a cache or tmpfs mount
    F + 'RUN --mount=type=cache,target=/root/.cache/pip pip install django==1.9',
    F + 'RUN --mount=type=tmpfs,target=/root/.cache/pip pip install django==1.9',
    // inherited from the stage this one is built from
    'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip install django==1.9',
    'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base AS app\nRUN pip install django==1.9',
    // wrappers with caches of their own
    F + 'RUN pipenv install',
    F + 'RUN pipx install black==24.1.0',
    F + 'RUN python3 -m pipx install black==24.1.0',
    F + 'RUN pip download django==1.9',
    // an ENV among the triggers does
    F + 'ONBUILD ENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install django==1.9'
  ]
})
