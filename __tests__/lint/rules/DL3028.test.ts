import { DL3028 } from '../../../src/lint/rules/DL3028.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3028, {
  catches: [['FROM debian:12\nRUN gem install bundler', 2]],
  passes: [
    'FROM debian:12\nRUN gem install bundler:2.4.22',
    'FROM debian:12\nRUN gem install bundler -v 2.4.22',
    "FROM debian:12\nRUN gem install bundler --version '>= 2'",
    'FROM debian:12\nRUN gem update --system'
  ]
})
