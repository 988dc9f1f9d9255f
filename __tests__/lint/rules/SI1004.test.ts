import { SI1004 } from '../../../src/lint/rules/SI1004.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1004, {
  catches: [['FROM debian:12\nADD https://example.com/tool.tar.gz /opt/', 2]],
  passes: [
    'FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/',
    'FROM debian:12\nADD tool.tar.gz /opt/',
    'FROM debian:12\nADD https://github.com/moby/buildkit.git#v0.12.0 /src'
  ]
})
