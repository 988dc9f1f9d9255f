import { DL3010 } from '../../../src/lint/rules/DL3010.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3010, {
  catches: [
    [
      'FROM debian:12\nCOPY rootfs.tar.xz /tmp/\nRUN tar -xJf /tmp/rootfs.tar.xz -C / && rm /tmp/rootfs.tar.xz',
      2
    ]
  ],
  passes: [
    'FROM debian:12\nADD rootfs.tar.xz /',
    'FROM debian:12\nCOPY rootfs.tar.xz /tmp/',
    'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -czf /backup.tar.gz /etc'
  ]
})
