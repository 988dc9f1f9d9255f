import { SI1011 } from '../../../src/lint/rules/SI1011.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1011, {
  catches: [
    ['FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl', 2],
    ['FROM debian:12\nRUN apt update -q', 2],
    ['FROM alpine:3.20\nRUN apk update', 2],
    ['FROM rockylinux:9\nRUN yum makecache && echo done', 2],
    ['FROM rockylinux:9\nRUN dnf -q makecache', 2],
    ['FROM opensuse/leap:15\nRUN zypper --non-interactive refresh', 2],
    ['FROM debian:12\nRUN set -e; \\\n  apt-get update; \\\n  echo ready', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10',
    'FROM debian:12\nRUN apt-get update && apt-get upgrade -y',
    'FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0',
    'FROM alpine:3.20\nRUN apk add --no-cache --update curl',
    'FROM rockylinux:9\nRUN yum makecache && yum install -y tar-1.34',
    'FROM rockylinux:9\nRUN yum update -y',
    'FROM opensuse/leap:15\nRUN zypper refresh && zypper install -y curl',
    'FROM debian:12\nRUN echo "apt-get update"',
    'FROM debian:12\nRUN git fetch && git update-index --refresh'
  ]
})
