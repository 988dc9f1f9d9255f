import { DL3048 } from '../../../src/lint/rules/DL3048.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3048, {
  catches: [
    [F + 'LABEL invalid_key="value"', 2],
    [F + 'LABEL com.docker.feature=1', 2],
    [F + 'LABEL io.docker.x=1', 2],
    [F + 'LABEL org.dockerproject.x=1', 2],
    [F + 'LABEL Maintainer=x', 2],
    [F + 'LABEL org..x=1', 2],
    [F + 'LABEL org--x=1', 2],
    // must start with a letter and end with a letter or digit
    [F + 'LABEL 1abc=1', 2],
    [F + 'LABEL .abc=1', 2],
    [F + 'LABEL abc.=1', 2],
    [F + 'LABEL abc-=1', 2],
    // a variable is no valid key character
    [F + 'ARG K=x\nLABEL ${K}=1', 3],
    // in a later stage too
    [F + 'LABEL a=1\nFROM debian:12\nLABEL B=2', 4]
  ],
  passes: [
    F + 'LABEL org.opencontainers.image.title="app" version="1.0"',
    F + 'LABEL a-b.c=1',
    F + 'LABEL a.-b=1',
    F + 'LABEL v2=1',
    F + 'LABEL "org.example.quoted"="yes"',
    // a label for the child image is not checked here
    F + 'ONBUILD LABEL Bad_Key=1'
  ]
})
