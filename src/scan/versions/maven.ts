/**
 * Maven version ordering, a port of Maven's `ComparableVersion` (maven-artifact 3.9/4): items separated by `.` and
 * `-` and by digit/letter transitions, numbers compared numerically, well-known qualifiers ordered
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp, unknown qualifiers after them
 * lexically (case-insensitive), and a `-` starting a sub-list that sorts below a number.
 */

type Item =
  | { kind: 'int'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'combination'; str: StringItem; digit: Item }
  | { kind: 'list'; items: Item[] }

type StringItem = { kind: 'string'; value: string }
type ListItem = { kind: 'list'; items: Item[] }

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp']
const RELEASE_QUALIFIERS = ['ga', 'final', 'release']
const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(''))

const isDigit = (c: string): boolean => c >= '0' && c <= '9'

function stringItem(value: string, followedByDigit: boolean): StringItem {
  if (followedByDigit && value.length === 1) {
    if (value === 'a') value = 'alpha'
    else if (value === 'b') value = 'beta'
    else if (value === 'm') value = 'milestone'
  }
  if (value === 'cr') value = 'rc'
  return { kind: 'string', value }
}

function comparableQualifier(q: string): string {
  if (RELEASE_QUALIFIERS.includes(q)) return RELEASE_VERSION_INDEX
  const i = QUALIFIERS.indexOf(q)
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i)
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function parseItem(isCombination: boolean, isDigitItem: boolean, buf: string): Item {
  if (isCombination) {
    const v = buf.replace(/-/g, '')
    let index = 0
    for (let i = 0; i < v.length; i++) {
      if (isDigit(v[i])) {
        index = i
        break
      }
    }
    return {
      kind: 'combination',
      str: stringItem(v.slice(0, index), true),
      digit: parseItem(false, true, v.slice(index))
    }
  }
  if (isDigitItem) return { kind: 'int', value: BigInt(buf.replace(/^0+/, '') || '0') }
  return stringItem(buf, false)
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'int':
      return item.value === 0n
    case 'string':
      return item.value === ''
    case 'combination':
      return false
    case 'list':
      return item.items.length === 0
  }
}

function compareItem(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'int':
      if (b === undefined) return a.value === 0n ? 0 : 1
      if (b.kind === 'int') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0
      return 1 // 1.1 > 1-sp, 1.1 > 1-1
    case 'string':
      if (b === undefined) return cmpStr(comparableQualifier(a.value), RELEASE_VERSION_INDEX)
      if (b.kind === 'int' || b.kind === 'list') return -1
      if (b.kind === 'string') return cmpStr(comparableQualifier(a.value), comparableQualifier(b.value))
      return compareItem(a, b.str) || -1
    case 'combination':
      if (b === undefined) return compareItem(a.str, undefined)
      if (b.kind === 'int' || b.kind === 'list') return -1
      if (b.kind === 'string') return compareItem(a.str, b) || 1
      return compareItem(a.str, b.str) || compareItem(a.digit, b.digit)
    case 'list': {
      if (b === undefined) {
        for (const i of a.items) {
          const r = compareItem(i, undefined)
          if (r) return r
        }
        return 0
      }
      if (b.kind === 'int') return -1
      if (b.kind === 'string' || b.kind === 'combination') return 1
      const n = Math.max(a.items.length, b.items.length)
      for (let k = 0; k < n; k++) {
        const l = a.items[k]
        const r = b.items[k]
        const result =
          l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r)
        if (result) return result
      }
      return 0
    }
  }
}

function normalize(list: ListItem): void {
  const items = list.items
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isNull(items[i])) continue
    const next = items[i + 1]
    if (i === items.length - 1 || next.kind === 'string') items.splice(i, 1)
    else if (next.kind === 'list') {
      const first = next.items[0]
      if (first && (first.kind === 'combination' || first.kind === 'string')) items.splice(i, 1)
    }
  }
}

export function parseMaven(input: string): ListItem {
  const version = input.toLowerCase()
  const root: ListItem = { kind: 'list', items: [] }
  let list = root
  const stack: ListItem[] = [root]
  let isDigitRun = false
  let isCombination = false
  let start = 0
  const push = (): void => {
    const sub: ListItem = { kind: 'list', items: [] }
    list.items.push(sub)
    list = sub
    stack.push(sub)
  }
  for (let i = 0; i < version.length; i++) {
    const c = version[i]
    if (c === '.') {
      if (i === start) list.items.push({ kind: 'int', value: 0n })
      else list.items.push(parseItem(isCombination, isDigitRun, version.slice(start, i)))
      isCombination = false
      start = i + 1
    } else if (c === '-') {
      if (i === start) list.items.push({ kind: 'int', value: 0n })
      else {
        // X-1 is treated as X1
        if (!isDigitRun && i !== version.length - 1 && isDigit(version[i + 1])) {
          isCombination = true
          continue
        }
        list.items.push(parseItem(isCombination, isDigitRun, version.slice(start, i)))
      }
      start = i + 1
      if (list.items.length > 0) push()
      isCombination = false
    } else if (isDigit(c)) {
      if (!isDigitRun && i > start) {
        // X1
        isCombination = true
        if (list.items.length > 0) push()
      }
      isDigitRun = true
    } else {
      if (isDigitRun && i > start) {
        list.items.push(parseItem(isCombination, true, version.slice(start, i)))
        start = i
        push()
        isCombination = false
      }
      isDigitRun = false
    }
  }
  if (version.length > start) {
    // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
    if (!isDigitRun && list.items.length > 0) push()
    list.items.push(parseItem(isCombination, isDigitRun, version.slice(start)))
  }
  while (stack.length > 0) normalize(stack.pop() as ListItem)
  return root
}

export function compareMaven(a: string, b: string): number {
  return Math.sign(compareItem(parseMaven(a), parseMaven(b)))
}
