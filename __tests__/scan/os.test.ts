import { describe, expect, it } from '@jest/globals'
import { detectOs, osvEcosystem, parseOsRelease } from '../../src/scan/os.js'

const files = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o))

describe('OS detection', () => {
  it.each([
    ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n', 'debian', 'Debian:12'],
    [
      'NAME="Ubuntu"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nID=ubuntu\nVERSION_ID="22.04"\n',
      'ubuntu',
      'Ubuntu:22.04:LTS'
    ],
    [
      'NAME="Ubuntu"\nVERSION="23.10 (Mantic Minotaur)"\nID=ubuntu\nVERSION_ID="23.10"\n',
      'ubuntu',
      'Ubuntu:23.10'
    ],
    ['NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n', 'alpine', 'Alpine:v3.19'],
    [
      'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.3"\n',
      'rhel',
      'Red Hat:enterprise_linux:9::baseos'
    ],
    ['NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\n', 'rocky', 'Rocky Linux:9'],
    ['NAME="AlmaLinux"\nID="almalinux"\nVERSION_ID="9.3"\n', 'almalinux', 'AlmaLinux:9'],
    ['ID=wolfi\nNAME="Wolfi"\n', 'wolfi', 'Wolfi'],
    ['ID=chainguard\nNAME="Chainguard"\n', 'chainguard', 'Chainguard']
  ])('maps %j to %s / %s', (text, id, eco) => {
    expect(detectOs(files({ 'etc/os-release': text }))).toMatchObject({ id, ecosystem: eco })
  })

  it('falls back to usr/lib/os-release, alpine-release and debian_version', () => {
    expect(detectOs(files({ 'usr/lib/os-release': 'ID=debian\nVERSION_ID=11\n' }))?.ecosystem).toBe(
      'Debian:11'
    )
    expect(detectOs(files({ 'etc/alpine-release': '3.18.4\n' }))).toEqual({
      id: 'alpine',
      versionId: '3.18.4',
      ecosystem: 'Alpine:v3.18'
    })
    expect(detectOs(files({ 'etc/debian_version': '12.5\n' }))?.ecosystem).toBe('Debian:12')
    // Debian testing has no VERSION_ID and a codename in debian_version: no OSV release to name.
    expect(
      detectOs(files({ 'etc/os-release': 'ID=debian\n', 'etc/debian_version': 'trixie/sid\n' }))
    ).toEqual({
      id: 'debian'
    })
    expect(detectOs(files({}))).toBeUndefined()
    expect(osvEcosystem('gentoo', '2.14')).toBeUndefined()
  })

  it('parses quoting and escapes of os-release', () => {
    const kv = parseOsRelease('# comment\nNAME="A \\"quoted\\" name"\nID=\'x\'\nBAD LINE\n')
    expect(kv.get('NAME')).toBe('A "quoted" name')
    expect(kv.get('ID')).toBe('x')
    expect(kv.size).toBe(2)
  })
})

describe('release files without os-release', () => {
  it('recognises CentOS 6 and Amazon Linux 1 from their release line, uncovered', () => {
    expect(detectOs(files({ 'etc/redhat-release': 'CentOS release 6.10 (Final)\n' }))).toEqual({
      id: 'centos',
      versionId: '6.10',
      prettyName: 'CentOS release 6.10 (Final)'
    })
    expect(detectOs(files({ 'etc/system-release': 'Amazon Linux AMI release 2018.03\n' }))).toEqual({
      id: 'amzn',
      versionId: '2018.03',
      prettyName: 'Amazon Linux AMI release 2018.03'
    })
  })

  it('names a RHEL 7 image by its major stream, then by its CPE as written', () => {
    expect(
      detectOs(
        files({
          'etc/redhat-release': 'Red Hat Enterprise Linux Server release 7.9 (Maipo)\n',
          'etc/system-release-cpe': 'cpe:/o:redhat:enterprise_linux:7.9:ga:server\n'
        })
      )
    ).toMatchObject({
      ecosystem: 'Red Hat:enterprise_linux:7::server',
      ecosystems: ['Red Hat:enterprise_linux:7::server', 'Red Hat:enterprise_linux:7.9:ga:server']
    })
  })
})

describe('Red Hat streams', () => {
  it('adds the streams of the content sets the image was built from', () => {
    const os = detectOs(
      files({
        'etc/os-release':
          'ID="rhel"\nVERSION_ID="9.4"\nCPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"\n',
        'root/buildinfo/content_manifests/app-1.0-1.json': JSON.stringify({
          content_sets: [
            'rhel-9-for-x86_64-baseos-rpms',
            'codeready-builder-for-rhel-9-x86_64-rpms',
            'rhel-9-for-x86_64-codeready-builder-rpms',
            'rhel-9-for-aarch64-supplementary-source-rpms'
          ]
        })
      })
    )
    expect(os?.ecosystems).toEqual([
      'Red Hat:enterprise_linux:9::baseos',
      'Red Hat:enterprise_linux:9::crb',
      'Red Hat:enterprise_linux:9::supplementary',
      'Red Hat:enterprise_linux:9::appstream'
    ])
  })

  it('falls back to the release when the image names no CPE, and ignores a manifest that is not JSON', () => {
    const os = detectOs(
      files({
        'etc/os-release': 'ID="rhel"\nVERSION_ID="8.10"\n',
        'root/buildinfo/content_manifests/x.json': '{not json'
      })
    )
    expect(os).toMatchObject({
      ecosystem: 'Red Hat:enterprise_linux:8::baseos',
      ecosystems: ['Red Hat:enterprise_linux:8::baseos', 'Red Hat:enterprise_linux:8::appstream']
    })
  })
})
