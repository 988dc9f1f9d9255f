/** Version ordering per OSV ecosystem. */
import { compareApk } from './apk.js'
import { compareDpkg } from './dpkg.js'
import { compareMaven } from './maven.js'
import { comparePep440 } from './pep440.js'
import { compareRpm } from './rpm.js'
import { compareSemver } from './semver.js'

export { compareApk, compareDpkg, compareMaven, comparePep440, compareRpm, compareSemver }

export type Comparator = (a: string, b: string) => number

const BY_ECOSYSTEM: Record<string, Comparator> = {
  Debian: compareDpkg,
  Ubuntu: compareDpkg,
  Alpine: compareApk,
  Wolfi: compareApk,
  Chainguard: compareApk,
  MinimOS: compareApk,
  Alpaquita: compareApk,
  'BellSoft Hardened Containers': compareApk,
  'Red Hat': compareRpm,
  'Rocky Linux': compareRpm,
  AlmaLinux: compareRpm,
  openSUSE: compareRpm,
  SUSE: compareRpm,
  Mageia: compareRpm,
  'Photon OS': compareRpm,
  'Azure Linux': compareRpm,
  openEuler: compareRpm,
  npm: compareSemver,
  Go: compareSemver,
  'crates.io': compareSemver,
  Hex: compareSemver,
  Pub: compareSemver,
  SwiftURL: compareSemver,
  PyPI: comparePep440,
  Maven: compareMaven
}

/** The ecosystem name without its release suffix: `Debian:12` → `Debian`, `Alpine:v3.19` → `Alpine`. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':')
  return colon >= 0 ? ecosystem.slice(0, colon) : ecosystem
}

/**
 * The comparator for an OSV ecosystem (with or without its release suffix). Ecosystems without a dedicated
 * ordering get the SemVer comparator, which orders non-SemVer versions by their numeric-aware text.
 */
export function comparatorFor(ecosystem: string): Comparator {
  return BY_ECOSYSTEM[baseEcosystem(ecosystem)] ?? compareSemver
}
