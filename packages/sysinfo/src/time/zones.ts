/**
 * Time zone names: resolving what a person or a model types ("europe/london", "UTC+5:30", "Asia/Calcutta") to a
 * zone `Intl` understands, and suggesting close matches for what it does not ("Londn", "PST", "New York").
 */
import { distance } from 'fastest-levenshtein';
import { SysinfoInputError } from '../input-error.js';

// Abbreviations are ambiguous (IST is India, Ireland and Israel), so they are only ever suggestions, never accepted.
const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  pst: ['America/Los_Angeles'],
  cst: ['America/Chicago', 'Asia/Shanghai', 'America/Havana'],
  ast: ['America/Halifax', 'Asia/Riyadh'],
  nst: ['America/St_Johns'],
  sst: ['Pacific/Pago_Pago', 'Asia/Singapore'],
  pdt: ['America/Los_Angeles'],
  pt: ['America/Los_Angeles'],
  mdt: ['America/Denver', 'America/Phoenix'],
  mt: ['America/Denver'],
  cdt: ['America/Chicago'],
  ct: ['America/Chicago'],
  edt: ['America/New_York'],
  et: ['America/New_York'],
  akst: ['America/Anchorage'],
  akdt: ['America/Anchorage'],
  bst: ['Europe/London'],
  ist: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  cest: ['Europe/Paris', 'Europe/Berlin'],
  eest: ['Europe/Athens', 'Europe/Helsinki'],
  wet: ['Europe/Lisbon'],
  west: ['Europe/Lisbon'],
  msk: ['Europe/Moscow'],
  jst: ['Asia/Tokyo'],
  kst: ['Asia/Seoul'],
  hkt: ['Asia/Hong_Kong'],
  sgt: ['Asia/Singapore'],
  aest: ['Australia/Sydney', 'Australia/Brisbane'],
  aedt: ['Australia/Sydney'],
  acst: ['Australia/Adelaide', 'Australia/Darwin'],
  awst: ['Australia/Perth'],
  nzst: ['Pacific/Auckland'],
  nzdt: ['Pacific/Auckland'],
  brt: ['America/Sao_Paulo'],
  art: ['America/Argentina/Buenos_Aires'],
  sast: ['Africa/Johannesburg'],
  cat: ['Africa/Maputo'],
  eat: ['Africa/Nairobi'],
  wat: ['Africa/Lagos'],
};

/**
 * Three-letter ids that ICU accepts for compatibility with old Java but that are not IANA zones, and that people
 * read differently ("BST" is Dhaka to ICU, London to a Briton). Refused as ambiguous, with suggestions.
 */
const LEGACY_ABBREVIATIONS = new Set([
  'ACT',
  'AET',
  'AGT',
  'ART',
  'AST',
  'BET',
  'BST',
  'CAT',
  'CNT',
  'CST',
  'CTT',
  'EAT',
  'ECT',
  'IET',
  'IST',
  'JST',
  'MIT',
  'NET',
  'NST',
  'PLT',
  'PNT',
  'PRT',
  'PST',
  'SST',
  'VST',
]);

const OFFSET_FORM = /^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * Current IANA names that ICU (CLDR) still reports under a former name: `Asia/Kolkata` comes back from `Intl` as
 * `Asia/Calcutta`. People and models use the current names, so results use them too.
 */
const CURRENT_NAMES = [
  'Africa/Asmara',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/Catamarca',
  'America/Argentina/Cordoba',
  'America/Argentina/Jujuy',
  'America/Argentina/Mendoza',
  'America/Atikokan',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
  'America/Nuuk',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Yangon',
  'Atlantic/Faroe',
  'Europe/Kyiv',
  'Pacific/Chuuk',
  'Pacific/Kanton',
  'Pacific/Pohnpei',
];

let currentByFormer: Map<string, string> | undefined;

/** The current IANA name for a zone name `Intl` returned (the name itself when it is current). */
function currentName(zone: string): string {
  if (!currentByFormer) {
    currentByFormer = new Map();
    for (const name of CURRENT_NAMES) {
      const former = tryZone(name);
      if (former && former !== name) currentByFormer.set(former, name);
    }
  }
  return currentByFormer.get(zone) ?? zone;
}

let zoneList: readonly string[] | undefined;

/** Every zone this runtime knows (`Intl.supportedValuesOf('timeZone')`, current names) plus `UTC`, computed once. */
export function knownZones(): readonly string[] {
  zoneList ??= [...new Set([...Intl.supportedValuesOf('timeZone').map(currentName), 'UTC'])];
  return zoneList;
}

// What ICU calls each name asked about (undefined: not a zone). Building a formatter to ask costs ~0.1 ms, and the
// names asked about are few; bounded all the same.
const icuNames = new Map<string, string | undefined>();

function tryZone(name: string): string | undefined {
  if (icuNames.has(name)) return icuNames.get(name);
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  if (icuNames.size >= 1000) icuNames.clear();
  icuNames.set(name, resolved);
  return resolved;
}

/** `+5`, `UTC-3`, `GMT+05:30`, `+0530` → `+05:00` style offset zone, or undefined. */
function offsetZone(text: string): string | undefined {
  const match = OFFSET_FORM.exec(text);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return `${match[1]}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

function normalise(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function lastSegment(zone: string): string {
  return zone.slice(zone.lastIndexOf('/') + 1).toLowerCase();
}

/**
 * Up to `limit` zones close to `text`: known abbreviations first, then zones whose city matches, then zones that
 * contain it, then the nearest by edit distance (on the whole id and on the city).
 */
export function suggestZones(text: string, limit = 5): string[] {
  const wanted = normalise(text);
  if (wanted === '') return [];
  const scored = new Map<string, number>();
  const offer = (zone: string, score: number) => {
    const previous = scored.get(zone);
    if (previous === undefined || score < previous) scored.set(zone, score);
  };
  for (const zone of ABBREVIATIONS[wanted] ?? []) offer(zone, 0);
  const tolerance = Math.max(2, Math.floor(wanted.length / 3));
  for (const zone of knownZones()) {
    const lower = zone.toLowerCase();
    const city = lastSegment(zone);
    if (city === wanted) offer(zone, 1);
    else if (wanted.length >= 3 && lower.includes(wanted)) offer(zone, 2 + lower.length / 100);
    const nearest = Math.min(distance(wanted, lower), distance(wanted, city));
    if (nearest <= tolerance) offer(zone, 3 + nearest);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([zone]) => zone);
}

/**
 * Resolve a zone name as typed to the name `Intl` uses: IANA ids in any letter case (`europe/london`), legacy
 * aliases `Intl` accepts (`US/Pacific`), `UTC`/`GMT`/`Z`, and fixed offsets (`+05:30`, `UTC-3`, `GMT+5`).
 * Throws `SysinfoInputError` (`unknown_time_zone`) with close matches for anything else.
 */
export function resolveZone(text: string): string {
  const trimmed = text.trim();
  if (/^z$/i.test(trimmed)) return 'UTC';
  if (LEGACY_ABBREVIATIONS.has(trimmed.toUpperCase())) {
    const icu = tryZone(trimmed);
    const icuName = icu && currentName(icu);
    const suggestions = [...new Set([...suggestZones(trimmed), ...(icuName ? [icuName] : [])])];
    throw new SysinfoInputError(
      'ambiguous_time_zone',
      `"${text}" is an abbreviation that names different zones in different places, not a time zone id. ` +
        `Did you mean ${suggestions.map((zone) => `"${zone}"`).join(', ')}?`,
      {
        hint: 'Use the IANA zone of the place, such as "America/Los_Angeles" or "Europe/London"; it also gets daylight saving time right.',
        details: { suggestions },
      },
    );
  }
  const offset = offsetZone(trimmed);
  const resolved = (offset && tryZone(offset)) ?? (trimmed === '' ? undefined : tryZone(trimmed));
  if (resolved) return currentName(resolved);
  const suggestions = suggestZones(trimmed);
  throw new SysinfoInputError(
    'unknown_time_zone',
    `"${text}" is not a time zone this server knows.` +
      (suggestions.length > 0 ? ` Did you mean ${suggestions.map((zone) => `"${zone}"`).join(', ')}?` : ''),
    {
      hint: 'Use an IANA zone name such as "Europe/London" or "America/New_York", "UTC", or a fixed offset such as "+05:30".',
      details: { suggestions },
    },
  );
}

/** The zone this process runs in (from `TZ` or the OS), as `Intl` reports it. */
export function localZone(): string {
  return currentName(new Intl.DateTimeFormat().resolvedOptions().timeZone);
}
