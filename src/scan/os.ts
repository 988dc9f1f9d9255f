/**
 * Operating system detection from the image's release files, mapped to the OSV ecosystem names that osv.dev
 * publishes advisories under (ossf/osv-schema `ecosystems.json`): `Debian:12`, `Ubuntu:22.04:LTS`,
 * `Alpine:v3.18`, `Red Hat:enterprise_linux:9::baseos`, `Rocky Linux:9`, `AlmaLinux:9`, `Azure Linux:3`,
 * `SUSE:Linux Enterprise Server 15 SP5`, `openSUSE:Leap 15.5`, `Photon OS:5.0`, `Mageia:9`,
 * `openEuler:22.03-LTS-SP3`, and the unversioned `Wolfi`, `Chainguard`, `MinimOS`. A distribution that no OSV
 * source covers (CentOS, Amazon Linux, Oracle Linux, Fedora, …) gets no ecosystem, so the scan can say so.
 */
import type { OsInfo } from './types.js'

/** Release files the detector reads (root-relative). */
export const OS_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/alpine-release',
  'etc/debian_version',
  'etc/system-release-cpe',
  'etc/redhat-release',
  'etc/system-release'
]

/** Red Hat's content manifests, which name the repositories (content sets) the image's rpms came from. */
const CONTENT_MANIFEST = /^root\/buildinfo\/content_manifests\/[^/]+\.json$/

/** True for a file OS detection reads. */
export function isOsFile(path: string): boolean {
  return OS_FILES.includes(path) || CONTENT_MANIFEST.test(path)
}

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

/** What OSV ecosystem naming needs from the release files. */
export interface ReleaseFacts {
  versionId?: string
  /** os-release `VERSION`, e.g. `22.04.4 LTS (Jammy Jellyfish)`. */
  version?: string
  prettyName?: string
  /** The platform CPE (`/etc/system-release-cpe`, or os-release `CPE_NAME`). */
  cpe?: string
  /** Red Hat content sets, e.g. `rhel-9-for-x86_64-appstream-rpms`. */
  contentSets?: string[]
}

const major = (v: string | undefined): string | undefined => /^(\d+)/.exec(v ?? '')?.[1]

/** `cpe:/o:redhat:enterprise_linux:9::baseos` → `enterprise_linux:9::baseos` (also the CPE 2.3 form). */
export function redHatStream(cpe: string): string | undefined {
  const m = /^cpe:\/[oa]:redhat:(.+)$/.exec(cpe.trim())
  if (m) return m[1]
  const f = /^cpe:2\.3:[oa]:redhat:([^:]+):([^:]+)(?::[^:]*){3}:([^:]*)/.exec(cpe.trim())
  return f ? `${f[1]}:${f[2]}::${f[3]}` : undefined
}

/**
 * A content set (repository id) to its Red Hat stream: `rhel-9-for-x86_64-appstream-rpms`,
 * `ubi-9-for-x86_64-baseos-rpms` → `enterprise_linux:9::appstream`, `…::baseos`;
 * `codeready-builder-for-rhel-9-x86_64-rpms` → `enterprise_linux:9::crb`.
 */
export function streamOfContentSet(set: string): string | undefined {
  const crb = /^codeready-builder-for-(?:rhel|ubi)-(\d+)-[a-z0-9_]+-(?:source-)?rpms$/.exec(set)
  if (crb) return `enterprise_linux:${crb[1]}::crb`
  const m =
    /^(?:rhel|ubi)-(\d+)-for-[a-z0-9_]+-(baseos|appstream|codeready-builder|supplementary)-(?:source-)?rpms$/.exec(
      set
    )
  if (!m) return undefined
  const repo = m[2] === 'codeready-builder' ? 'crb' : m[2]
  return `enterprise_linux:${m[1]}::${repo}`
}

function redHatEcosystems(facts: ReleaseFacts): string[] {
  const streams: string[] = []
  const fromCpe = facts.cpe ? redHatStream(facts.cpe) : undefined
  const m = major(facts.versionId)
  // RHEL 7 writes its point release and `ga` (`enterprise_linux:7.9:ga:server`); advisories name the major stream.
  const ga = /^enterprise_linux:(\d+)(?:\.\d+)?:ga:([a-z]+)$/.exec(fromCpe ?? '')
  if (ga) streams.push(`enterprise_linux:${ga[1]}::${ga[2]}`)
  if (fromCpe) streams.push(fromCpe)
  else if (m) streams.push(`enterprise_linux:${m}::baseos`)
  for (const set of facts.contentSets ?? []) {
    const s = streamOfContentSet(set)
    if (s) streams.push(s)
  }
  // Every RHEL 8+ image (UBI too) installs from both BaseOS and AppStream; their advisories are filed apart.
  const main = /^enterprise_linux:(\d+)::(?:baseos|appstream)$/.exec(streams[0] ?? '')
  if (main && Number(main[1]) >= 8)
    streams.push(`enterprise_linux:${main[1]}::baseos`, `enterprise_linux:${main[1]}::appstream`)
  return [...new Set(streams)].map((s) => `Red Hat:${s}`)
}

/** SUSE products: `SUSE Linux Enterprise Server 15 SP5` → `SUSE:Linux Enterprise Server 15 SP5`, with the
 * module and LTSS streams SUSE files a release's packages under. */
function suseEcosystems(facts: ReleaseFacts): string[] {
  const product = (facts.prettyName ?? '').replace(/^SUSE\s+/, '').trim()
  if (!product) return []
  const out = [`SUSE:${product}`]
  const sle = /^Linux Enterprise Server (\d+(?: SP\d+)?)$/.exec(product)
  if (sle) {
    out.push(
      `SUSE:Linux Enterprise Server ${sle[1]}-LTSS`,
      `SUSE:Linux Enterprise Module for Basesystem ${sle[1]}`,
      `SUSE:Linux Enterprise Module for Server Applications ${sle[1]}`
    )
  }
  return out
}

/**
 * The OSV ecosystems of a distribution release, the one its packages are named under first; empty when no
 * OSV source covers it.
 */
export function osvEcosystems(id: string, facts: ReleaseFacts = {}): string[] {
  const { versionId, version } = facts
  const m = major(versionId)
  switch (id) {
    case 'debian':
      return m ? [`Debian:${m}`] : []
    case 'ubuntu': {
      const v = /^(\d+\.\d+)/.exec(versionId ?? '')?.[1]
      if (!v) return []
      // Ubuntu Pro (ESM) fixes are filed under their own ecosystem; an LTS image is affected by them too.
      return /\bLTS\b/.test(version ?? '') ? [`Ubuntu:${v}:LTS`, `Ubuntu:Pro:${v}:LTS`] : [`Ubuntu:${v}`]
    }
    case 'alpine': {
      const r = /^(\d+)\.(\d+)/.exec(versionId ?? '')
      return r ? [`Alpine:v${r[1]}.${r[2]}`] : []
    }
    case 'rhel':
      return redHatEcosystems(facts)
    case 'rocky':
      return m ? [`Rocky Linux:${m}`] : []
    case 'almalinux':
      return m ? [`AlmaLinux:${m}`] : []
    case 'azurelinux':
      return m ? [`Azure Linux:${m}`] : []
    case 'mariner':
      // CBL-Mariner 2.0 was renamed Azure Linux; its advisories are under `Azure Linux:2`. Mariner 1 has none.
      return m && Number(m) >= 2 ? [`Azure Linux:${m}`] : []
    case 'sles':
    case 'sled':
    case 'sles_sap':
    case 'sle_hpc':
    case 'sle-micro':
      return suseEcosystems(facts)
    case 'opensuse-leap':
    case 'opensuse-leap-micro':
    case 'opensuse-tumbleweed':
    case 'opensuse-slowroll': {
      const fromPretty = (facts.prettyName ?? '').replace(/^openSUSE\s+/, '').trim()
      if (fromPretty) return [`openSUSE:${fromPretty}`]
      if (id === 'opensuse-tumbleweed') return ['openSUSE:Tumbleweed']
      return id === 'opensuse-leap' && versionId ? [`openSUSE:Leap ${versionId}`] : []
    }
    case 'photon':
      return versionId ? [`Photon OS:${/^\d+\.\d+/.exec(versionId)?.[0] ?? `${versionId}.0`}`] : []
    case 'mageia':
      return m ? [`Mageia:${m}`] : []
    case 'openeuler': {
      // VERSION="22.03 (LTS-SP3)" → openEuler:22.03-LTS-SP3
      const stream = /\(([^)]+)\)/
        .exec(version ?? '')?.[1]
        ?.trim()
        .replace(/\s+/g, '-')
      return versionId ? [`openEuler:${versionId}${stream ? `-${stream}` : ''}`] : []
    }
    case 'alpaquita':
      return versionId ? [`Alpaquita:${m ?? versionId}`] : []
    case 'wolfi':
      return ['Wolfi']
    case 'chainguard':
      return ['Chainguard']
    case 'minimos':
      return ['MinimOS']
    default:
      return []
  }
}

/** The OSV ecosystem of a distribution release, or undefined when OSV has none for it. */
export function osvEcosystem(id: string, versionId?: string, version?: string): string | undefined {
  const facts: ReleaseFacts = {}
  if (versionId) facts.versionId = versionId
  if (version) facts.version = version
  return osvEcosystems(id, facts)[0]
}

function contentSets(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = []
  for (const [path, text] of files) {
    if (!CONTENT_MANIFEST.test(path)) continue
    try {
      const sets = (JSON.parse(text) as { content_sets?: unknown }).content_sets
      if (Array.isArray(sets)) for (const s of sets) if (typeof s === 'string') out.push(s)
    } catch {
      // A manifest that is not JSON names no content sets.
    }
  }
  return out.sort()
}

/** `CentOS Linux release 7.9.2009 (Core)` → `centos`, `7.9.2009`, for images without os-release. */
function fromReleaseLine(text: string): { id: string; versionId?: string; prettyName: string } | undefined {
  const line = text.split(/\r?\n/)[0].trim()
  const v = /release\s+(\S+)/.exec(line)?.[1]
  const ids: [RegExp, string][] = [
    [/^CentOS/, 'centos'],
    [/^Red Hat Enterprise Linux/, 'rhel'],
    [/^Rocky Linux/, 'rocky'],
    [/^AlmaLinux/, 'almalinux'],
    [/^Amazon Linux/, 'amzn'],
    [/^Oracle Linux/, 'ol'],
    [/^Fedora/, 'fedora']
  ]
  const hit = ids.find(([re]) => re.test(line))
  if (!hit) return undefined
  return v ? { id: hit[1], versionId: v, prettyName: line } : { id: hit[1], prettyName: line }
}

function withEcosystems(info: OsInfo, facts: ReleaseFacts): OsInfo {
  const ecos = osvEcosystems(info.id, facts)
  if (ecos.length > 0) info.ecosystem = ecos[0]
  if (ecos.length > 1) info.ecosystems = ecos
  return info
}

/**
 * Detects the OS from the release files' contents (keyed by root-relative path; `etc/os-release` already
 * resolved if it was a symlink). Returns undefined when none identifies a distribution.
 */
export function detectOs(files: ReadonlyMap<string, string>): OsInfo | undefined {
  const cpeFile = files.get('etc/system-release-cpe')?.trim().split(/\r?\n/)[0]
  const sets = contentSets(files)
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
      const facts: ReleaseFacts = {}
      if (versionId) facts.versionId = versionId
      const version = kv.get('VERSION')
      if (version) facts.version = version
      if (pretty) facts.prettyName = pretty
      const cpe = cpeFile || kv.get('CPE_NAME')
      if (cpe) facts.cpe = cpe
      if (sets.length > 0) facts.contentSets = sets
      return withEcosystems(info, facts)
    }
  }
  const alpine = files.get('etc/alpine-release')?.trim()
  if (alpine) return withEcosystems({ id: 'alpine', versionId: alpine }, { versionId: alpine })
  const dv = files.get('etc/debian_version')?.trim()
  if (dv && /^\d+(\.\d+)*$/.test(dv)) {
    const m = dv.split('.')[0]
    return { id: 'debian', versionId: m, ecosystem: `Debian:${m}` }
  }
  // Old RPM distributions (CentOS 6, Amazon Linux 1) have only a release line.
  const line = files.get('etc/redhat-release') ?? files.get('etc/system-release')
  const parsed = line ? fromReleaseLine(line) : undefined
  if (parsed) {
    const info: OsInfo = { id: parsed.id, prettyName: parsed.prettyName }
    if (parsed.versionId) info.versionId = parsed.versionId
    const facts: ReleaseFacts = { prettyName: parsed.prettyName }
    if (parsed.versionId) facts.versionId = parsed.versionId
    if (cpeFile) facts.cpe = cpeFile
    if (sets.length > 0) facts.contentSets = sets
    return withEcosystems(info, facts)
  }
  return undefined
}

const PURL_NAMESPACE: Record<string, string> = {
  rhel: 'redhat',
  sles: 'suse',
  sled: 'suse',
  sles_sap: 'suse',
  sle_hpc: 'suse',
  'sle-micro': 'suse',
  'opensuse-leap': 'opensuse',
  'opensuse-leap-micro': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  'opensuse-slowroll': 'opensuse',
  amzn: 'amazon',
  ol: 'oracle',
  mariner: 'microsoft',
  azurelinux: 'microsoft'
}

/** The purl of an OS package (`pkg:deb/debian/…`, `pkg:apk/alpine/…`, `pkg:rpm/redhat/…`). */
export function osPurlParts(os: OsInfo | undefined): { namespace: string; distro?: string } {
  const id = os?.id ?? 'unknown'
  const ns = PURL_NAMESPACE[id] ?? id
  return os?.versionId ? { namespace: ns, distro: `${id}-${os.versionId}` } : { namespace: ns }
}
