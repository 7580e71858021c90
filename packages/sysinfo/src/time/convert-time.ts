/**
 * Converting a time between zones, with the wall-clock edge cases handled the way calendars do: a local time that
 * a DST change skips is moved forward by the gap, one it repeats takes the earlier instant, and both are reported.
 */
import { type ParsedTime, parseTime } from './parse-time.js';
import {
  formatOffset,
  offsetAt,
  type WallTime,
  wallAsUtc,
  wallTimeAt,
  type ZonedTime,
  zonedTime,
} from './zoned-time.js';

/** How a local time mapped to an instant. */
export type WallResolution =
  /** Exactly one instant has this local time. */
  | 'exact'
  /** The local time does not exist (clocks jumped over it); the instant is as far past the jump as the time was. */
  | 'skipped'
  /** The local time happens twice (clocks went back); the earlier instant is used. */
  | 'repeated';

/** The instant of a local wall time in `zone`, and how it was resolved. */
export function instantOfWall(
  wall: WallTime,
  zone: string,
): { epochMs: number; resolution: WallResolution; laterEpochMs?: number } {
  const asUtc = wallAsUtc(wall);
  const day = 86_400_000;
  // Any transition near this wall time lies between these two offsets (zones change at most once a day).
  const before = offsetAt(asUtc - day, zone);
  const after = offsetAt(asUtc + day, zone);
  const candidates = [...new Set([asUtc - before * 60_000, asUtc - after * 60_000])]
    .filter((epochMs) => {
      const seen = wallTimeAt(epochMs, zone).wall;
      return (
        seen.year === wall.year &&
        seen.month === wall.month &&
        seen.day === wall.day &&
        seen.hour === wall.hour &&
        seen.minute === wall.minute &&
        seen.second === wall.second
      );
    })
    .sort((a, b) => a - b);
  if (candidates.length === 1) return { epochMs: candidates[0] as number, resolution: 'exact' };
  if (candidates.length > 1) {
    return { epochMs: candidates[0] as number, resolution: 'repeated', laterEpochMs: candidates[1] as number };
  }
  // In a gap: read the time with the offset from before the jump, which lands the same distance past it.
  return { epochMs: asUtc - before * 60_000, resolution: 'skipped' };
}

/** The result of {@link convertTime}. */
export interface Conversion {
  source: ZonedTime;
  target: ZonedTime;
  /** Target offset minus source offset at this instant, in hours (`5.5`, `-8`). */
  differenceHours: number;
  /** The same difference as `+05:30` / `-08:00`. */
  difference: string;
  /** Calendar days from the source date to the target date: -1, 0 or 1 (2 across the date line). */
  dayShift: number;
  /** How the input mapped to an instant. */
  resolution: WallResolution | 'instant';
  /** A sentence about a skipped or repeated local time, or an input that carried its own offset. */
  note?: string;
}

function instantOf(
  parsed: ParsedTime,
  sourceZone: string,
  nowMs: number,
): { epochMs: number; resolution: Conversion['resolution']; laterEpochMs?: number } {
  switch (parsed.kind) {
    case 'now':
      return { epochMs: nowMs, resolution: 'instant' };
    case 'instant':
      return { epochMs: parsed.epochMs, resolution: 'instant' };
    case 'wall':
      return instantOfWall(parsed.wall, sourceZone);
    case 'time': {
      const today = wallTimeAt(nowMs, sourceZone).wall;
      const { hour, minute, second, millisecond } = parsed;
      return instantOfWall({ ...today, hour, minute, second, millisecond }, sourceZone);
    }
  }
}

function dateOrdinal(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

/**
 * Convert `time` (see `parseTime` for the forms) from `sourceZone` to `targetZone`. Zones must already be resolved
 * (see `resolveZone`). Throws `SysinfoInputError` for a time it cannot read.
 */
export function convertTime(time: string, sourceZone: string, targetZone: string, nowMs = Date.now()): Conversion {
  const parsed = parseTime(time);
  const { epochMs, resolution, laterEpochMs } = instantOf(parsed, sourceZone, nowMs);
  const source = zonedTime(epochMs, sourceZone);
  const target = zonedTime(epochMs, targetZone);
  const differenceMinutes = target.utcOffsetMinutes - source.utcOffsetMinutes;
  const conversion: Conversion = {
    source,
    target,
    differenceHours: differenceMinutes / 60,
    difference: formatOffset(differenceMinutes),
    dayShift: dateOrdinal(target.date) - dateOrdinal(source.date),
    resolution,
  };
  if (resolution === 'skipped') {
    conversion.note =
      `"${time.trim()}" does not exist in ${sourceZone}: clocks skip it at the change to ${source.abbreviation}. ` +
      `Read as ${source.time} ${source.abbreviation}, the same time past the change.`;
  } else if (resolution === 'repeated' && laterEpochMs !== undefined) {
    const later = zonedTime(laterEpochMs, sourceZone);
    conversion.note =
      `"${time.trim()}" happens twice in ${sourceZone} (clocks go back). Used the first, ${source.iso} ` +
      `(${source.abbreviation}); the second is ${later.iso} (${later.abbreviation}).`;
  } else if (parsed.kind === 'instant') {
    conversion.note = 'The time carried its own UTC offset, so it was taken as that exact instant.';
  }
  return conversion;
}

/** The current time in `zone`. */
export function currentTime(zone: string, nowMs = Date.now()): ZonedTime {
  return zonedTime(nowMs, zone);
}
