/**
 * Parsing the times people and models write: `now`, `14:30`, `2:30pm`, `2024-03-10 02:30`, and ISO 8601 instants
 * with an offset (`2024-03-10T10:30:00Z`, `2024-03-10T02:30-08:00`).
 */
import { SysinfoInputError } from '../input-error.js';
import type { WallTime } from './zoned-time.js';

/** What a time string means. */
export type ParsedTime =
  /** The current instant. */
  | { kind: 'now' }
  /** A fixed instant: the text carried its own offset. */
  | { kind: 'instant'; epochMs: number }
  /** A local date and time, to be read in the source zone. */
  | { kind: 'wall'; wall: WallTime }
  /** A local time of day, on today's date in the source zone. */
  | { kind: 'time'; hour: number; minute: number; second: number; millisecond: number };

const FORMATS_HINT =
  'Write "now", a time of day ("14:30", "14:30:15", "2:30pm"), a local date and time ("2024-03-10 14:30" or ' +
  '"2024-03-10T14:30:00"), or an instant with an offset ("2024-03-10T14:30:00Z", "2024-03-10T14:30:00+01:00").';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME_OF_DAY = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([ap])\.?\s*m\.?)?$/i;

function invalid(text: string, why: string): SysinfoInputError {
  return new SysinfoInputError('invalid_time', `Cannot read "${text}" as a time: ${why}.`, { hint: FORMATS_HINT });
}

function fraction(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkClock(text: string, hour: number, minute: number, second: number): void {
  if (hour > 23) throw invalid(text, `hour ${hour} is out of range 0-23`);
  if (minute > 59) throw invalid(text, `minute ${minute} is out of range 0-59`);
  if (second > 59) throw invalid(text, `second ${second} is out of range 0-59`);
}

function parseOffsetMinutes(text: string, offset: string): number {
  if (/^z$/i.test(offset)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  const hours = Number(match?.[2]);
  const minutes = Number(match?.[3] ?? '0');
  if (!match || hours > 23 || minutes > 59) throw invalid(text, `"${offset}" is not a UTC offset`);
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Parse a time string. Throws `SysinfoInputError` (`invalid_time`) naming the problem and the accepted forms. */
export function parseTime(text: string): ParsedTime {
  const trimmed = text.trim();
  if (trimmed === '') throw invalid(text, 'it is empty');
  if (/^now$/i.test(trimmed)) return { kind: 'now' };

  const dateTime = DATE_TIME.exec(trimmed);
  if (dateTime) {
    const [, y, mo, d, h, mi, s, frac, offset] = dateTime;
    if (h === undefined) throw invalid(text, 'a date needs a time of day too (such as "2024-03-10 09:00")');
    const wall: WallTime = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s ?? '0'),
      millisecond: fraction(frac),
    };
    if (wall.month < 1 || wall.month > 12) throw invalid(text, `month ${wall.month} is out of range 1-12`);
    const lastDay = daysInMonth(wall.year, wall.month);
    if (wall.day < 1 || wall.day > lastDay) {
      throw invalid(text, `day ${wall.day} does not exist in ${y}-${mo} (it has ${lastDay} days)`);
    }
    checkClock(text, wall.hour, wall.minute, wall.second);
    if (offset === undefined) return { kind: 'wall', wall };
    const offsetMinutes = parseOffsetMinutes(text, offset);
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
    return { kind: 'instant', epochMs: asUtc - offsetMinutes * 60_000 };
  }

  const timeOfDay = TIME_OF_DAY.exec(trimmed);
  if (timeOfDay) {
    const [, h, mi, s, frac, meridiem] = timeOfDay;
    if (mi === undefined && meridiem === undefined) {
      throw invalid(text, 'a bare number is ambiguous; write minutes ("9:00") or am/pm ("9am")');
    }
    let hour = Number(h);
    const minute = Number(mi ?? '0');
    const second = Number(s ?? '0');
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) throw invalid(text, `hour ${hour} is out of range 1-12 for am/pm`);
      hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
    }
    checkClock(text, hour, minute, second);
    return { kind: 'time', hour, minute, second, millisecond: fraction(frac) };
  }

  throw invalid(text, 'it matches none of the accepted forms');
}
