/** Operating system detection from the image's release files, mapped to OSV ecosystem names. */
import type { OsInfo } from './types.js'

/** Release files the detector reads (root-relative). */
export const OS_FILES = ['etc/os-release', 'usr/lib/os-release', 'etc/alpine-release', 'etc/debian_version']

/** Parses `os-release` (shell-style `KEY=value` lines, values optionally quoted). */
export function parseOsRelease(text: string): Map<string, string> {
  const m = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line)
    if (!match) continue
    let v = match[2].trim()
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1)
    m.set(match[1], v.replace(/\\(["$`\\])/g, '$1'))
  }
  return m
}

/** The OSV ecosystem of a distribution release, or undefined when OSV has none for it. */
export function osvEcosystem(id: string, versionId?: string, version?: string): string | undefined {
  const major = versionId?.split('.')[0]
  switch (id) {
    case 'debian':
      return major && /^\d+$/.test(major) ? `Debian:${major}` : undefined
    case 'ubuntu': {
      if (!versionId) return undefined
      return /LTS/i.test(version ?? '') ? `Ubuntu:${versionId}:LTS` : `Ubuntu:${versionId}`
    }
    case 'alpine': {
      const m = /^(\d+)\.(\d+)/.exec(versionId ?? '')
      return m ? `Alpine:v${m[1]}.${m[2]}` : undefined
    }
    case 'rhel':
      return 'Red Hat'
    case 'rocky':
      return 'Rocky Linux'
    case 'almalinux':
      return 'AlmaLinux'
    case 'wolfi':
      return 'Wolfi'
    case 'chainguard':
      return 'Chainguard'
    default:
      return undefined
  }
}

/**
 * Detects the OS from the release files' contents (keyed by root-relative path; `etc/os-release` already
 * resolved if it was a symlink). Returns undefined when none identifies a distribution.
 */
export function detectOs(files: ReadonlyMap<string, string>): OsInfo | undefined {
  const release = files.get('etc/os-release') ?? files.get('usr/lib/os-release')
  if (release !== undefined) {
    const kv = parseOsRelease(release)
    const id = kv.get('ID')?.toLowerCase()
    if (id) {
      let versionId = kv.get('VERSION_ID')
      // Debian point releases live in /etc/debian_version; a testing image has no VERSION_ID.
      if (id === 'debian' && !versionId) {
        const dv = files.get('etc/debian_version')?.trim()
        if (dv && /^\d+(\.\d+)*$/.test(dv)) versionId = dv.split('.')[0]
      }
      if (id === 'alpine' && files.get('etc/alpine-release'))
        versionId = files.get('etc/alpine-release')!.trim()
      const info: OsInfo = { id }
      if (versionId) info.versionId = versionId
      const pretty = kv.get('PRETTY_NAME')
      if (pretty) info.prettyName = pretty
      const eco = osvEcosystem(id, versionId, kv.get('VERSION'))
      if (eco) info.ecosystem = eco
      return info
    }
  }
  const alpine = files.get('etc/alpine-release')?.trim()
  if (alpine) {
    const info: OsInfo = { id: 'alpine', versionId: alpine }
    const eco = osvEcosystem('alpine', alpine)
    if (eco) info.ecosystem = eco
    return info
  }
  const dv = files.get('etc/debian_version')?.trim()
  if (dv && /^\d+(\.\d+)*$/.test(dv)) {
    const major = dv.split('.')[0]
    return { id: 'debian', versionId: major, ecosystem: `Debian:${major}` }
  }
  return undefined
}

/** The purl of an OS package (`pkg:deb/debian/…`, `pkg:apk/alpine/…`, `pkg:rpm/redhat/…`). */
export function osPurlParts(os: OsInfo | undefined): { namespace: string; distro?: string } {
  const id = os?.id ?? 'unknown'
  const ns = id === 'rhel' ? 'redhat' : id
  return os?.versionId ? { namespace: ns, distro: `${id}-${os.versionId}` } : { namespace: ns }
}
