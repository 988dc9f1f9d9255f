import { DL3021 } from '../../../src/lint/rules/DL3021.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3021, {
  catches: [
    ['FROM debian:12\nCOPY foo bar baz', 2],
    ['FROM debian:12\nCOPY ["a", "b", "/c"]', 2]
  ],
  passes: [
    'FROM debian:12\nCOPY foo bar baz/',
    'FROM debian:12\nCOPY foo /bar',
    'FROM debian:12\nCOPY ["a", "b", "/c/"]',
    'FROM debian:12\nCOPY --chown=app:app a b /c/'
  ]
})
