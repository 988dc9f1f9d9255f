import { DL3043 } from '../../../src/lint/rules/DL3043.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3043, {
  catches: [
    ['FROM debian:12\nONBUILD ONBUILD RUN echo x', 2],
    ['FROM debian:12\nONBUILD FROM debian:12', 2],
    ['FROM debian:12\nONBUILD MAINTAINER me', 2]
  ],
  passes: ['FROM debian:12\nONBUILD RUN echo x', 'FROM debian:12\nONBUILD COPY . /app']
})
