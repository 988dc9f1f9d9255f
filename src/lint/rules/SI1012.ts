import { argDecls, envPairs } from '../../dockerfile/parse.js'
import type { ShellCommand } from '../../dockerfile/shell.js'
import { scriptMemo } from '../script-memo.js'
import { at, effective, flagValue, hasFlag, pipInstall, type Rule, type Violation } from '../rule.js'

const FALSE = /^(0|false|no|off)$/i
/** `[trusted=yes]` / `[allow-insecure=yes]` in a one-line sources entry, `Trusted: yes` in deb822 form. */
const APT_SOURCE =
  /\[[^\]]*\b(trusted|allow-insecure|allow-weak)=yes\b[^\]]*\]|^\s*(Trusted|Allow-Insecure):\s*yes\b/im
/** A sources entry for a repository on the image's own filesystem (built in the build; nothing is downloaded). */
const LOCAL_SOURCE = /\]\s*(file|copy):/i
/** `gpgcheck=0` (and `repo_gpgcheck`, `localpkg_gpgcheck`) in a repo file, a `--setopt` or a `sed` script. */
const GPGCHECK_OFF = /(?:^|[^A-Za-z0-9])((?:repo_|localpkg_)?gpgcheck)\s*=\s*(0|false|no)\b/i
const APT_OPTION =
  /(AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)\s*=\s*"?(1|true|yes)/i
/** Variables that turn TLS or signature verification off for every tool that reads them. */
const ENV_SWITCHES: [RegExp, (v: string) => boolean][] = [
  [/^GIT_SSL_NO_VERIFY$/, (v) => v !== ''],
  [/^NODE_TLS_REJECT_UNAUTHORIZED$/, (v) => v === '0'],
  [/^PYTHONHTTPSVERIFY$/, (v) => v === '0'],
  [/^(NPM_CONFIG_STRICT_SSL|npm_config_strict_ssl|YARN_STRICT_SSL)$/, (v) => FALSE.test(v)],
  [/^(PIP_TRUSTED_HOST|pip_trusted_host)$/, (v) => v !== ''],
  [/^(PIP_INDEX_URL|PIP_EXTRA_INDEX_URL)$/, (v) => /^http:\/\//i.test(v)]
]

function envSwitch(name: string, value: string): string | undefined {
  const hit = ENV_SWITCHES.find(([re, off]) => re.test(name) && off(value))
  return hit ? `${name}=${value}` : undefined
}

const APT = new Set(['apt-get', 'apt', 'aptitude'])
const RPM_TOOLS = new Set(['yum', 'dnf', 'microdnf', 'tdnf', 'zypper'])
const NODE_TOOLS = new Set(['npm', 'yarn', 'pnpm'])
const PIP = /^pip[0-9.]*$/
const GPGCHECK = /gpgcheck/i
const TRUSTED_HOST = /trusted-host$/
const HTTP = /^http:\/\//i

/** Adds the verification switches one command (its base name `b`) turns off to `out`. */
function switches(c: ShellCommand, b: string, out: string[]): void {
  const a = c.args
  for (const asg of c.assignments) {
    const eq = asg.indexOf('=')
    const s = envSwitch(asg.slice(0, eq), asg.slice(eq + 1))
    if (s) out.push(s)
  }
  if (b === 'export' || b === 'env') {
    for (const w of a) {
      const eq = w.indexOf('=')
      const s = eq > 0 ? envSwitch(w.slice(0, eq), w.slice(eq + 1)) : undefined
      if (s) out.push(s)
    }
  }
  if (APT.has(b)) {
    for (const f of ['--allow-unauthenticated', '--allow-insecure-repositories', '--force-yes'])
      if (a.includes(f)) out.push(`${b} ${f}`)
    if (a.some((w) => APT_OPTION.test(w))) out.push(`${b} -o …Allow…=true`)
  }
  if (RPM_TOOLS.has(b)) {
    for (const f of ['--nogpgcheck', '--no-gpgcheck', '--no-gpg-checks'])
      if (a.includes(f)) out.push(`${b} ${f}`)
  }
  if (b === 'rpm') {
    for (const f of ['--nosignature', '--nodigest']) if (a.includes(f)) out.push(`rpm ${f}`)
  }
  if (b === 'apk' && a.includes('--allow-untrusted')) out.push('apk --allow-untrusted')
  // Only `pip…` and `python…` commands can be pip (`pipInstall` reads no others).
  if ((b.startsWith('pip') || b.startsWith('python')) && (pipInstall(c) || PIP.test(b))) {
    if (a.some((w) => w === '--trusted-host' || w.startsWith('--trusted-host=')))
      out.push(`${b} --trusted-host`)
    for (const flag of [['-i', '--index-url'], ['--extra-index-url'], ['-f', '--find-links']]) {
      const v = flagValue(a, flag)
      if (v && HTTP.test(v)) out.push(`${b} ${flag[flag.length - 1]} http://…`)
    }
    if (a.includes('config') && a.some((w) => TRUSTED_HOST.test(w))) out.push(`${b} config trusted-host`)
  }
  if (NODE_TOOLS.has(b)) {
    const i = a.findIndex((w) => w === 'strict-ssl' || /^strict-ssl[=\s]/.test(w))
    const v = i >= 0 ? (a[i].includes('=') ? a[i].split('=')[1] : a[i + 1]) : undefined
    if (v !== undefined && FALSE.test(v)) out.push(`${b} strict-ssl false`)
    const flag = a.find((w) => w.startsWith('--strict-ssl'))
    if (
      flag === '--strict-ssl=false' ||
      (flag === '--strict-ssl' && FALSE.test(a[a.indexOf(flag) + 1] ?? ''))
    )
      out.push(`${b} --strict-ssl=false`)
  }
  if (b === 'curl' && hasFlag(a, ['-k'], ['--insecure', '--proxy-insecure'])) out.push('curl --insecure')
  if (b === 'wget' && a.includes('--no-check-certificate')) out.push('wget --no-check-certificate')
  if (b === 'git') {
    const setting = (w: string): boolean => {
      const m = /^http(?:\.[^=]*)?\.sslverify=(.*)$/i.exec(w)
      return !!m && FALSE.test(m[1])
    }
    const cfg = a.indexOf('config')
    const viaConfig =
      cfg >= 0 &&
      a.some((w, n) => n > cfg && /^http(\..*)?\.sslverify$/i.test(w) && FALSE.test(a[n + 1] ?? ''))
    if (a.some(setting) || viaConfig) out.push('git http.sslVerify=false')
  }
  // Any word: a trusted sources entry, or gpgcheck turned off (one pass over the words for both).
  let trustedSource = false
  let gpgcheckOff = false
  for (let i = 0; i < a.length; i++) {
    const w = a[i]
    if (!trustedSource && w.includes('yes') && APT_SOURCE.test(w) && !LOCAL_SOURCE.test(w))
      trustedSource = true
    if (!gpgcheckOff && w.length >= 9 && w.includes('=') && GPGCHECK.test(w) && GPGCHECK_OFF.test(w))
      gpgcheckOff = true
  }
  if (trustedSource) out.push('a sources entry with [trusted=yes]')
  if (gpgcheckOff) out.push('gpgcheck=0')
}

/**
 * CIS Docker Benchmark 4.11: only verified packages. Every switch that turns package signature or download
 * TLS verification off, in a RUN (the commands and their variable assignments) or in ENV/ARG defaults.
 */
export const SI1012: Rule = {
  id: 'SI1012',
  severity: 'warning',
  message: 'Package or download verification is turned off (CIS Docker Benchmark 4.11).',
  help: 'Keep signature and TLS checks on: import the repository key (or the CA certificate) instead of disabling verification.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const all: string[] = []
      for (const e of scriptMemo(r.script).entries) switches(e.cmd, e.name, all)
      const found = [...new Set(all)]
      if (found.length > 0)
        out.push(
          at(r.ins, `Verification is turned off: ${found.map((s) => `\`${s}\``).join(', ')} (CIS 4.11).`)
        )
    }
    for (const i of effective(ctx.model)) {
      let pairs: [string, string][]
      if (i.keyword === 'ENV') pairs = envPairs(i)
      else if (i.keyword === 'ARG')
        pairs = argDecls(i).flatMap((d) =>
          d.value === undefined ? [] : [[d.name, d.value] as [string, string]]
        )
      else continue
      const found = pairs.map(([k, v]) => envSwitch(k, v)).filter((s): s is string => !!s)
      if (found.length > 0)
        out.push(at(i, `Verification is turned off: ${found.map((s) => `\`${s}\``).join(', ')} (CIS 4.11).`))
    }
    return out.sort((x, y) => x.line - y.line)
  }
}
