/** What the image reader and the analyzers produce, and what matching and the SBOM consume. */
import type { Finding, LayerRef, Location, PackageRef } from '../findings.js'

export type PackageType =
  'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'gem' | 'composer' | 'nuget' | 'cargo'

export interface InventoryPackage extends PackageRef {
  type: PackageType
  /** The layer that added (or last changed) the package. */
  layer?: LayerRef
  /** The Dockerfile line the layer came from (the FROM line for inherited layers). */
  location?: Location
}

export interface OsInfo {
  /** `/etc/os-release` ID, e.g. `debian`, `alpine`, `ubuntu`. */
  id: string
  versionId?: string
  prettyName?: string
  /** The OSV ecosystem for this release, e.g. `Debian:12`; undefined when no advisory source covers it. */
  ecosystem?: string
  /**
   * Every OSV ecosystem that holds advisories for this release's packages, `ecosystem` first, when there is more
   * than one: Red Hat's repositories (`…::baseos`, `…::appstream`), Ubuntu Pro (`Ubuntu:Pro:22.04:LTS`), SUSE's
   * modules and LTSS streams.
   */
  ecosystems?: string[]
}

/** A package database found in the image (the final view), and whether it was read. */
export interface DatabaseCoverage {
  /** Where the owning tool opens it, e.g. `/var/lib/rpm/Packages` (a directory for dpkg's `status.d`). */
  path: string
  /** `dpkg`, `dpkg-status.d`, `apk`, `rpm-sqlite`, `rpm-bdb`, `rpm-ndb`. */
  format: string
  /** Packages read from it. */
  packages: number
  /** False when the database could not be read; `error` says why (an `error` alone also means unread). */
  read?: boolean
  error?: string
}

/** A file the inventory wanted to read but did not (over a size cap, corrupt, an unsupported format). */
export interface SkippedFile {
  path: string
  reason: string
}

/** One layer of the image, in order, with its history entry and its place in the Dockerfile. */
export interface ImageLayer {
  /** The uncompressed layer digest (diff ID), `sha256:…`. */
  digest: string
  index: number
  createdBy?: string
  /** True for layers that came with the base image. */
  inherited: boolean
  location?: Location
}

/** The subset of the image config that the config checks read (Docker's `Config` object). */
export interface ImageConfig {
  User?: string
  Env?: string[]
  ExposedPorts?: Record<string, unknown>
  Labels?: Record<string, string> | null
  Healthcheck?: { Test?: string[] } | null
  Entrypoint?: string[] | null
  Cmd?: string[] | null
  WorkingDir?: string
}

/** A package database found in the image, and whether it was read. */
export type InventoryDatabase = DatabaseCoverage

export interface Inventory {
  os?: OsInfo
  packages: InventoryPackage[]
  /** The package databases found, read or not. */
  databases?: InventoryDatabase[]
  /** Files an analyzer matched but could not read (over a size limit, corrupt, unsupported), with the reason. */
  skipped?: SkippedFile[]
  layers: ImageLayer[]
  config: ImageConfig
}

export interface ScanResult {
  inventory: Inventory
  /** Secret and config findings from the image itself. */
  findings: Finding[]
  /** What the scan could not read fully (files over the size limit, entries outside the root, limits hit). */
  warnings?: string[]
}
