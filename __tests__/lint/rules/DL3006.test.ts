import { DL3006 } from '../../../src/lint/rules/DL3006.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3006, {
  catches: [
    ['FROM debian', 1],
    ['FROM debian:12 AS base\nFROM registry.example.com:5000/team/app', 2],
    ['ARG BASE=debian\nFROM ${BASE}', 2]
  ],
  passes: [
    'FROM debian:12',
    'FROM debian@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'FROM scratch',
    'FROM debian:12 AS build\nFROM build',
    'ARG BASE\nFROM ${BASE}',
    'FROM localhost:5000/app:1.0'
  ]
})
