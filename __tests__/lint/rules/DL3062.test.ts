import { DL3062 } from '../../../src/lint/rules/DL3062.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM golang:1.22\n'

ruleTests(DL3062, {
  catches: [
    [F + 'RUN go install example.com/tool', 2],
    // @latest and @none name no version
    [F + 'RUN go install example.com/tool@latest', 2],
    [F + 'RUN go get example.com/lib@none', 2],
    [F + 'RUN go get example.com/lib', 2],
    [F + 'RUN go get -tool example.com/tool', 2],
    [F + 'RUN go run example.com/tool@latest -flag', 2],
    // a file is no local package path
    [F + 'RUN go run main.go', 2],
    // the other packages of an install are checked too
    [F + 'RUN go install example.com/a@v1.0.0 example.com/b', 2],
    [F + 'ONBUILD RUN go install example.com/tool', 2]
  ],
  passes: [
    F + 'RUN go install example.com/tool@v1.2.3',
    F + 'RUN go get -tool example.com/tool@v1.2.3',
    F + 'RUN go get example.com/lib@8a2e7b1',
    F + 'RUN go install ./cmd/app',
    F + 'RUN go install .',
    F + 'RUN go install /src/cmd/app',
    F + 'RUN go run example.com/tool@v1.2.3 generate ./...',
    F + 'RUN go run . serve',
    F + 'RUN go install -ldflags=-s example.com/tool@v1.2.3',
    F + 'RUN go install "example.com/tool@${TOOL_VERSION}"',
    F + 'RUN go build ./...',
    F + 'RUN go mod download'
  ]
})
