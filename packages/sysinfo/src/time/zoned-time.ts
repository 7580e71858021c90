/**
 * An instant as seen in a time zone: wall-clock fields, UTC offset, DST and the next offset change, computed with
 * `Intl.DateTimeFormat` (the runtime's ICU time zone data, so no zone database ships with this package).
 */

/** Wall-clock fields of a local date and time. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** An instant in one zone, as the time tools report it. */
export interface ZonedTime {
  /** The zone, as `Intl` names it. */
  timeZone: string;
  /** Local date and time with its offset, ISO 8601 (`2024-03-10T03:30:00-07:00`). */
  iso: string;
  /** The same instant in UTC (`2024-03-10T10:30:00Z`). */
  utc: string;
  /** Seconds since the Unix epoch. */
  unixSeconds: number;
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  /** Local time, `HH:MM:SS` (24-hour). */
  time: string;
  /** Day of the week in English (`Monday`). */
  weekday: string;
  /** Offset from UTC, `+HH:MM`. */
  utcOffset: string;
  /** Offset from UTC in minutes (east positive). */
  utcOffsetMinutes: number;
  /** True when daylight saving time is in effect at this instant. */
  isDst: boolean;
  /** Short zone name in English (`PDT`, `BST`, `IST`), or `GMT+9` style where there is no common abbreviation. */
  abbreviation: string;
}

const MINUTE = 60_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

interface Formatters {
  fields: Intl.DateTimeFormat;
  /** Short-name formatters by locale, made on first use. */
  abbreviations: Map<string, Intl.DateTimeFormat>;
}

// CLDR gives each zone's abbreviation only in the locales where it is in common use (BST in en-GB, IST in en-IN,
// AEST in en-AU); elsewhere it says GMT+1. Try the English locales in turn before settling for the offset form.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-ZA'];

// Building an Intl.DateTimeFormat costs far more than using one; zones are few, so keep them (bounded anyway).
const formatters = new Map<string, Formatters>();

function formattersFor(zone: string): Formatters {
  let entry = formatters.get(zone);
  if (!entry) {
    if (formatters.size >= 500) formatters.clear();
    entry = {
      fields: new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        timeZoneName: 'longOffset',
      }),
      abbreviations: new Map(),
    };
    formatters.set(zone, entry);
  }
  return entry;
}

function parseOffset(text: string): number {
  // "GMT", "GMT+05:30", "GMT-07:00"
  const match = /([+-])(\d{2}):(\d{2})/.exec(text);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

// Which of ABBREVIATION_LOCALES names a zone at an offset (or none does): the same for every instant with that
// offset, so found once. Keyed `zone|offset`; bounded.
const abbreviationLocale = new Map<string, number>();

function abbreviationAt(epochMs: number, zone: string, offsetMinutes: number): string | undefined {
  const entry = formattersFor(zone);
  const nameIn = (index: number) => {
    const locale = ABBREVIATION_LOCALES[index] as string;
    let format = entry.abbreviations.get(locale);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
      entry.abbreviations.set(locale, format);
    }
    return format.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value;
  };
  const key = `${zone}|${offsetMinutes}`;
  const known = abbreviationLocale.get(key);
  if (known !== undefined) {
    if (known === ABBREVIATION_LOCALES.length) return nameIn(0);
    const name = nameIn(known);
    if (name && !/^GMT[+-]/.test(name)) return name;
  }
  let fallback: string | undefined;
  for (let index = 0; index < ABBREVIATION_LOCALES.length; index++) {
    const name = nameIn(index);
    if (name && !/^GMT[+-]/.test(name)) {
      remember(abbreviationLocale, key, index);
      return name;
    }
    fallback ??= name;
  }
  // None has a common name: the first locale's offset form (`GMT+9`) it is, from now on.
  remember(abbreviationLocale, key, ABBREVIATION_LOCALES.length);
  return fallback;
}

/** Set `key` in a cache bounded to 500 entries (cleared when full: zones in use are few). */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= 500) cache.clear();
  cache.set(key, value);
}

/** The wall-clock fields and UTC offset (minutes) of `epochMs` in `zone`. */
export function wallTimeAt(epochMs: number, zone: string): { wall: WallTime; offsetMinutes: number } {
  const parts = formattersFor(zone).fields.formatToParts(epochMs);
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let offsetMinutes = 0;
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        wall.year = Number(part.value);
        break;
      case 'month':
        wall.month = Number(part.value);
        break;
      case 'day':
        wall.day = Number(part.value);
        break;
      case 'hour':
        wall.hour = Number(part.value);
        break;
      case 'minute':
        wall.minute = Number(part.value);
        break;
      case 'second':
        wall.second = Number(part.value);
        break;
      case 'timeZoneName':
        offsetMinutes = parseOffset(part.value);
        break;
      default:
        break;
    }
  }
  wall.millisecond = ((epochMs % 1000) + 1000) % 1000;
  return { wall, offsetMinutes };
}

/** The UTC offset of `zone` at `epochMs`, in minutes. */
export function offsetAt(epochMs: number, zone: string): number {
  return wallTimeAt(epochMs, zone).offsetMinutes;
}

/** `+05:30` / `-07:00` for an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
}

/** Epoch milliseconds of a wall time read as UTC. */
export function wallAsUtc(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

/** The weekday (0 = Sunday) of a calendar date. */
function weekdayOf(wall: WallTime): number {
  return new Date(wallAsUtc({ ...wall, hour: 12, minute: 0, second: 0, millisecond: 0 })).getUTCDay();
}

/**
 * True when `zone` observes daylight saving time at `epochMs`: its offset then is greater than the smaller of its
 * January and July offsets that year (which also covers the southern hemisphere).
 */
export function isDstAt(epochMs: number, zone: string, offsetMinutes = offsetAt(epochMs, zone)): boolean {
  const year = new Date(epochMs).getUTCFullYear();
  const key = `${zone}|${year}`;
  let standard = standardOffsets.get(key);
  if (standard === undefined) {
    const january = offsetAt(Date.UTC(year, 0, 1), zone);
    const july = offsetAt(Date.UTC(year, 6, 1), zone);
    // `null`: the zone keeps one offset that year (no DST).
    standard = january === july ? null : Math.min(january, july);
    remember(standardOffsets, key, standard);
  }
  return standard !== null && offsetMinutes > standard;
}

// A zone's standard (smaller) offset in a year, or null without DST that year. Keyed `zone|year`; bounded.
const standardOffsets = new Map<string, number | null>();

/** Describe `epochMs` in `zone`. */
export function zonedTime(epochMs: number, zone: string): ZonedTime {
  const { wall, offsetMinutes } = wallTimeAt(epochMs, zone);
  const date = `${formatYear(wall.year)}-${pad(wall.month)}-${pad(wall.day)}`;
  const time = `${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
  const millis = wall.millisecond === 0 ? '' : `.${pad(wall.millisecond, 3)}`;
  const utcOffset = formatOffset(offsetMinutes);
  const abbreviation = abbreviationAt(epochMs, zone, offsetMinutes) ?? utcOffset;
  return {
    timeZone: zone,
    iso: `${date}T${time}${millis}${utcOffset}`,
    utc: new Date(epochMs).toISOString().replace('.000Z', 'Z'),
    unixSeconds: Math.floor(epochMs / 1000),
    date,
    time,
    weekday: WEEKDAYS[weekdayOf(wall)] as string,
    utcOffset,
    utcOffsetMinutes: offsetMinutes,
    isDst: isDstAt(epochMs, zone, offsetMinutes),
    abbreviation,
  };
}

/** The next change of a zone's UTC offset after `epochMs`, if one happens within `horizonDays`. */
export interface OffsetTransition {
  /** The first instant with the new offset, in UTC (ISO 8601). */
  at: string;
  /** The offset before, `+HH:MM`. */
  offsetBefore: string;
  /** The offset after, `+HH:MM`. */
  offsetAfter: string;
  /** True when the new offset is daylight saving time. */
  isDstAfter: boolean;
}

/**
 * What a zone's last transition search proved: its offset is `offset` on the whole minute grid from `from` to
 * `until` (daily probes), and, when `next` is set, changes first at minute `next` (to `result`).
 */
interface KnownSpan {
  from: number;
  until: number;
  offset: number;
  next?: number;
  result?: OffsetTransition;
}

// The span each zone was last searched over, so a later instant inside it costs no search at all, and one past a
// span without a change only searches the days not covered yet. Keyed `zone|horizonDays`; bounded.
const knownSpans = new Map<string, KnownSpan>();

/**
 * Find the next offset change after `epochMs`: scan forward a day at a time, then narrow to the minute. Offsets
 * change at most a few times a year, so a daily step misses nothing a clock would show. Each zone's search is kept
 * (see {@link KnownSpan}): asked again for a later instant, it answers from what it found.
 */
export function nextTransition(epochMs: number, zone: string, horizonDays = 366): OffsetTransition | null {
  const day = 24 * 60 * MINUTE;
  // Offsets change on whole minutes: search on a minute grid.
  const base = Math.floor(epochMs / MINUTE) * MINUTE;
  const horizon = base + horizonDays * day;
  const key = `${zone}|${horizonDays}`;
  const known = knownSpans.get(key);
  let start: number;
  let low: number;
  if (known && base >= known.from && known.next !== undefined && base < known.next) {
    return known.result as OffsetTransition;
  }
  if (known && base >= known.from && known.next === undefined && base <= known.until) {
    // No change up to `until`: only the days past it need probing.
    start = known.offset;
    low = known.until;
  } else {
    start = offsetAt(base, zone);
    low = base;
  }
  const from = low === base ? base : (known as KnownSpan).from;
  let high: number | undefined;
  while (low < horizon) {
    const probe = Math.min(low + day, horizon);
    if (offsetAt(probe, zone) !== start) {
      high = probe;
      break;
    }
    low = probe;
  }
  if (high === undefined) {
    remember(knownSpans, key, { from, until: low, offset: start });
    return null;
  }
  // Invariant: offset at low is the old one, at changed the new one.
  let changed: number = high;
  while (changed - low > MINUTE) {
    const middle: number = low + Math.floor((changed - low) / 2 / MINUTE) * MINUTE;
    if (offsetAt(middle, zone) === start) low = middle;
    else changed = middle;
  }
  const after = offsetAt(changed, zone);
  const result = {
    at: new Date(changed).toISOString().replace('.000Z', 'Z'),
    offsetBefore: formatOffset(start),
    offsetAfter: formatOffset(after),
    isDstAfter: isDstAt(changed, zone, after),
  };
  remember(knownSpans, key, { from, until: low, offset: start, next: changed, result });
  return result;
}
