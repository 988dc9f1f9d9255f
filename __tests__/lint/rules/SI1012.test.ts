import { SI1012 } from '../../../src/lint/rules/SI1012.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1012, {
  catches: [
    ['FROM debian:12\nRUN apt-get install -y --allow-unauthenticated curl', 2],
    ['FROM debian:12\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install -y curl', 2],
    [
      'FROM debian:12\nRUN echo "deb [trusted=yes] http://repo.example.com/ ./" > /etc/apt/sources.list.d/x.list',
      2
    ],
    [
      'FROM debian:12\nRUN echo "deb [arch=amd64 allow-insecure=yes] http://r.example/ stable main" >> /etc/apt/sources.list',
      2
    ],
    ['FROM rockylinux:9\nRUN yum install -y --nogpgcheck tar', 2],
    ['FROM fedora:40\nRUN dnf --setopt=gpgcheck=0 install -y tar', 2],
    ['FROM rockylinux:9\nRUN sed -i "s/gpgcheck=1/gpgcheck=0/" /etc/yum.repos.d/x.repo', 2],
    ['FROM opensuse/leap:15\nRUN zypper --no-gpg-checks install -y curl', 2],
    ['FROM rockylinux:9\nRUN rpm -i --nosignature /tmp/x.rpm', 2],
    ['FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/x.apk', 2],
    ['FROM python:3.12\nRUN pip install --trusted-host pypi.example.com flask==3.0.0', 2],
    ['FROM python:3.12\nRUN pip install --index-url http://pypi.example.com/simple flask==3.0.0', 2],
    ['FROM python:3.12\nRUN python3 -m pip install -i http://mirror.example/simple flask==3.0.0', 2],
    ['FROM node:20\nRUN npm config set strict-ssl false && npm ci', 2],
    ['FROM node:20\nRUN yarn config set strict-ssl false', 2],
    ['FROM node:20\nRUN npm install --strict-ssl=false left-pad@1.3.0', 2],
    ['FROM debian:12\nRUN curl -k -o /tmp/x https://example.com/x', 2],
    ['FROM debian:12\nRUN curl -fsSLk https://example.com/x -o /tmp/x', 2],
    ['FROM debian:12\nRUN curl --insecure https://example.com/x', 2],
    ['FROM debian:12\nRUN wget --no-check-certificate https://example.com/x', 2],
    ['FROM debian:12\nRUN git -c http.sslVerify=false clone https://example.com/r.git', 2],
    ['FROM debian:12\nRUN git config --global http.sslverify false', 2],
    ['FROM debian:12\nENV GIT_SSL_NO_VERIFY=1', 2],
    ['FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0', 2],
    ['FROM python:3.12\nENV PYTHONHTTPSVERIFY 0', 2],
    ['FROM node:20\nARG NODE_TLS_REJECT_UNAUTHORIZED=0', 2],
    ['FROM node:20\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci', 2],
    ['FROM debian:12\nRUN export GIT_SSL_NO_VERIFY=true && git clone https://example.com/r.git', 2]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10',
    'FROM debian:12\nRUN echo "deb [signed-by=/usr/share/keyrings/x.gpg] https://r.example/ stable main" > /etc/apt/sources.list.d/x.list',
    // A repository the RUN built on the image's own filesystem: nothing is downloaded.
    'FROM debian:12\nRUN echo "deb [ trusted=yes ] file://$tempDir ./" > /etc/apt/sources.list.d/temp.list',
    'FROM rockylinux:9\nRUN echo "gpgcheck=1" >> /etc/yum.repos.d/x.repo && yum install -y tar-1.34',
    'FROM python:3.12\nRUN pip install --index-url https://pypi.example.com/simple flask==3.0.0',
    'FROM node:20\nRUN npm config set strict-ssl true',
    'FROM debian:12\nRUN curl -fsSL https://example.com/x -o /tmp/x',
    'FROM debian:12\nRUN curl -fsSL -K /etc/curlrc https://example.com/x',
    'FROM debian:12\nRUN wget -q https://example.com/x',
    'FROM debian:12\nRUN git -c http.sslVerify=true clone https://example.com/r.git',
    'FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=1',
    'FROM debian:12\nRUN echo "curl -k is bad"'
  ]
})
