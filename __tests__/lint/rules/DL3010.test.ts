import { DL3010 } from '../../../src/lint/rules/DL3010.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3010, {
  catches: [
    [F + 'COPY rootfs.tar.xz /tmp/\nRUN tar -xJf /tmp/rootfs.tar.xz -C / && rm /tmp/rootfs.tar.xz', 2],
    [F + 'COPY app.tgz /tmp/\nRUN tar --extract --file /tmp/app.tgz', 2],
    // the COPY names the archive by its target
    [F + 'COPY app /tmp/app.tar.gz\nRUN tar -xzf /tmp/app.tar.gz', 2],
    // unpacked by another tool
    [F + 'COPY data.gz /tmp/\nRUN gunzip /tmp/data.gz', 2],
    [F + 'COPY data.xz /tmp/\nRUN unxz /tmp/data.xz', 2],
    // extracted in a later RUN of the stage
    [F + 'COPY a.tar /tmp/\nRUN true\nWORKDIR /x\nRUN tar -xf /tmp/a.tar', 2],
    // Windows paths
    [
      '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY C:\\build\\app.tar.gz C:\\tmp\\\nRUN tar -xf "C:\\tmp\\app.tar.gz"',
      3
    ],
    // JSON form
    [F + 'COPY ["pkg.tar.bz2", "/tmp/"]\nRUN tar -xjf /tmp/pkg.tar.bz2', 2]
  ],
  passes: [
    F + 'ADD rootfs.tar.xz /',
    F + 'COPY rootfs.tar.xz /tmp/',
    F + 'COPY app.tar.gz /tmp/\nRUN tar -czf /backup.tar.gz /etc',
    // extracted before it was copied
    F + 'RUN tar -xf /tmp/a.tar\nCOPY a.tar /tmp/',
    // in another stage
    F + 'COPY a.tar /tmp/\n' + F + 'RUN tar -xf /tmp/a.tar',
    // copied from another stage or image
    F + 'COPY --from=build /out/a.tar /tmp/\nRUN tar -xf /tmp/a.tar',
    // zip files are not among hadolint's archives
    F + 'COPY app.zip /tmp/\nRUN unzip /tmp/app.zip',
    // another archive is extracted
    F + 'COPY a.tar /tmp/\nRUN tar -xf /tmp/b.tar'
  ]
})
