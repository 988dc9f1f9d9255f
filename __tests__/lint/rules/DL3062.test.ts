import { DL3062 } from '../../../src/lint/rules/DL3062.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3062, {
  catches: [['FROM golang:1.22\nRUN go install example.com/tool', 2]],
  passes: [
    'FROM golang:1.22\nRUN go install example.com/tool@v1.2.3',
    'FROM golang:1.22\nRUN go install ./cmd/app',
    'FROM golang:1.22\nRUN go build ./...'
  ]
})
