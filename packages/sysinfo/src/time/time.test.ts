import { describe, expect, it } from 'vitest';
import { SysinfoInputError } from '../input-error.js';
import { convertTime, currentTime, instantOfWall } from './convert-time.js';
import { parseTime } from './parse-time.js';
import { nextTransition, zonedTime } from './zoned-time.js';
import { knownZones, localZone, resolveZone, suggestZones } from './zones.js';

function inputError(fn: () => unknown): SysinfoInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SysinfoInputError) return error;
    throw error;
  }
  throw new Error('expected a SysinfoInputError');
}

describe('resolveZone', () => {
  it('accepts IANA ids in any case, aliases, UTC spellings and fixed offsets', () => {
    expect(resolveZone('Europe/London')).toBe('Europe/London');
    expect(resolveZone('europe/london')).toBe('Europe/London');
    expect(resolveZone('  America/New_York ')).toBe('America/New_York');
    expect(resolveZone('US/Pacific')).toBe('America/Los_Angeles');
    expect(resolveZone('utc')).toBe('UTC');
    expect(resolveZone('Z')).toBe('UTC');
    expect(resolveZone('GMT')).toBe('UTC');
    expect(resolveZone('+05:30')).toBe('+05:30');
    expect(resolveZone('UTC+5:30')).toBe('+05:30');
    expect(resolveZone('GMT-3')).toBe('-03:00');
    expect(resolveZone('+0545')).toBe('+05:45');
  });

  it('answers with current IANA names where ICU keeps former ones', () => {
    expect(resolveZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveZone('asia/calcutta')).toBe('Asia/Kolkata');
    expect(resolveZone('Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(resolveZone('Asia/Saigon')).toBe('Asia/Ho_Chi_Minh');
    expect(knownZones()).toContain('Asia/Kolkata');
    expect(knownZones()).not.toContain('Asia/Calcutta');
    expect(inputError(() => resolveZone('Kolkatta')).details?.suggestions).toContain('Asia/Kolkata');
    expect(inputError(() => resolveZone('Kiev')).details?.suggestions).toContain('Europe/Kyiv');
  });

  it('rejects unknown zones with close matches', () => {
    const misspelt = inputError(() => resolveZone('Europe/Londn'));
    expect(misspelt.code).toBe('unknown_time_zone');
    expect(misspelt.details?.suggestions).toContain('Europe/London');
    expect(misspelt.message).toContain('Did you mean "Europe/London"');

    expect(inputError(() => resolveZone('New York')).details?.suggestions).toContain('America/New_York');
    expect(inputError(() => resolveZone('Tokio')).details?.suggestions).toContain('Asia/Tokyo');
    expect(inputError(() => resolveZone('Mars/Olympus_Mons')).code).toBe('unknown_time_zone');
    expect(inputError(() => resolveZone('')).code).toBe('unknown_time_zone');
    expect(inputError(() => resolveZone('UTC+25')).code).toBe('unknown_time_zone');
  });

  it('refuses ambiguous abbreviations that ICU would silently map, suggesting the usual meanings', () => {
    const pst = inputError(() => resolveZone('PST'));
    expect(pst.code).toBe('ambiguous_time_zone');
    expect((pst.details?.suggestions as string[] | undefined)?.[0]).toBe('America/Los_Angeles');
    // ICU reads "BST" as Bangladesh; most people mean British Summer Time.
    const bst = inputError(() => resolveZone('bst'));
    expect(bst.details?.suggestions).toEqual(expect.arrayContaining(['Europe/London', 'Asia/Dhaka']));
    expect(inputError(() => resolveZone('IST')).details?.suggestions).toEqual(
      expect.arrayContaining(['Asia/Kolkata', 'Europe/Dublin']),
    );
    // IANA's own fixed zones stay valid.
    expect(resolveZone('CET')).toBeTruthy();
    expect(resolveZone('EST')).toBeTruthy();
  });

  it('suggests nothing for text far from any zone', () => {
    expect(suggestZones('qqqqqqqqqqqqqqqqqqqqqq')).toEqual([]);
    expect(inputError(() => resolveZone('qqqqqqqqqqqqqqqqqqqqqq')).message).not.toContain('Did you mean');
  });

  it('knows the runtime zones and the local zone', () => {
    expect(knownZones().length).toBeGreaterThan(300);
    expect(knownZones()).toContain('UTC');
    expect(resolveZone(localZone())).toBe(localZone());
  });
});

describe('zonedTime', () => {
  it('reports wall time, offset, DST, weekday and abbreviation', () => {
    const summer = zonedTime(Date.UTC(2024, 6, 1, 12, 0, 0), 'America/New_York');
    expect(summer).toEqual({
      timeZone: 'America/New_York',
      iso: '2024-07-01T08:00:00-04:00',
      utc: '2024-07-01T12:00:00Z',
      unixSeconds: Date.UTC(2024, 6, 1, 12) / 1000,
      date: '2024-07-01',
      time: '08:00:00',
      weekday: 'Monday',
      utcOffset: '-04:00',
      utcOffsetMinutes: -240,
      isDst: true,
      abbreviation: 'EDT',
    });
    const winter = zonedTime(Date.UTC(2024, 0, 15, 12), 'America/New_York');
    expect(winter).toMatchObject({ utcOffset: '-05:00', isDst: false, abbreviation: 'EST' });
  });

  it('finds the abbreviation people use, else the offset form', () => {
    const july = Date.UTC(2024, 6, 1);
    expect(zonedTime(july, 'Europe/London').abbreviation).toBe('BST');
    expect(zonedTime(Date.UTC(2024, 0, 1), 'Europe/London').abbreviation).toBe('GMT');
    expect(zonedTime(july, 'Europe/Berlin').abbreviation).toBe('CEST');
    expect(zonedTime(july, 'Asia/Kolkata').abbreviation).toBe('IST');
    expect(zonedTime(july, 'Australia/Sydney').abbreviation).toBe('AEST');
    expect(zonedTime(july, 'Asia/Tokyo').abbreviation).toBe('GMT+9');
  });

  it('handles the southern hemisphere, half-hour DST, negative-offset zones and zones without DST', () => {
    expect(zonedTime(Date.UTC(2024, 0, 15), 'Australia/Sydney')).toMatchObject({ utcOffset: '+11:00', isDst: true });
    expect(zonedTime(Date.UTC(2024, 6, 15), 'Australia/Sydney')).toMatchObject({ utcOffset: '+10:00', isDst: false });
    expect(zonedTime(Date.UTC(2024, 0, 15), 'Australia/Lord_Howe')).toMatchObject({ utcOffset: '+11:00', isDst: true });
    expect(zonedTime(Date.UTC(2024, 6, 15), 'Australia/Lord_Howe')).toMatchObject({ utcOffset: '+10:30' });
    expect(zonedTime(Date.UTC(2024, 6, 15), 'Europe/Dublin')).toMatchObject({ utcOffset: '+01:00', isDst: true });
    expect(zonedTime(Date.UTC(2024, 6, 15), 'Asia/Kolkata')).toMatchObject({ utcOffset: '+05:30', isDst: false });
    expect(zonedTime(Date.UTC(2024, 6, 15), 'Asia/Kathmandu')).toMatchObject({ utcOffset: '+05:45' });
    expect(zonedTime(Date.UTC(2024, 6, 15, 0, 0, 0, 250), 'UTC')).toMatchObject({
      iso: '2024-07-15T00:00:00.250+00:00',
      utc: '2024-07-15T00:00:00.250Z',
      isDst: false,
    });
  });

  it('matches the Date object for the local zone, now', () => {
    const now = Date.now();
    const local = currentTime(localZone(), now);
    expect(Date.parse(local.iso)).toBe(now);
    expect(Date.parse(local.utc)).toBe(now);
    expect(local.utcOffsetMinutes + new Date(now).getTimezoneOffset()).toBe(0);
  });
});

describe('nextTransition', () => {
  it('finds the next offset change to the minute', () => {
    expect(nextTransition(Date.UTC(2024, 2, 1), 'America/New_York')).toEqual({
      at: '2024-03-10T07:00:00Z',
      offsetBefore: '-05:00',
      offsetAfter: '-04:00',
      isDstAfter: true,
    });
    expect(nextTransition(Date.UTC(2024, 6, 1), 'Europe/Berlin')).toMatchObject({
      at: '2024-10-27T01:00:00Z',
      offsetAfter: '+01:00',
      isDstAfter: false,
    });
  });

  it('is null for zones that do not change', () => {
    expect(nextTransition(Date.UTC(2024, 0, 1), 'Asia/Kolkata')).toBeNull();
    expect(nextTransition(Date.UTC(2024, 0, 1), 'UTC')).toBeNull();
  });

  // Each zone's search is remembered: asked again, in any order, the answers must be the ones a fresh search gives.
  it('answers later, earlier and past-the-change instants as a fresh search would', () => {
    const zone = 'America/Chicago';
    const march = { at: '2025-03-09T08:00:00Z', offsetBefore: '-06:00', offsetAfter: '-05:00', isDstAfter: true };
    const november = { at: '2025-11-02T07:00:00Z', offsetBefore: '-05:00', offsetAfter: '-06:00', isDstAfter: false };
    expect(nextTransition(Date.UTC(2025, 0, 10), zone)).toEqual(march);
    expect(nextTransition(Date.UTC(2025, 1, 20, 13, 7), zone)).toEqual(march);
    expect(nextTransition(Date.parse('2025-03-09T07:59:00Z'), zone)).toEqual(march);
    // The minute of the change already has the new offset: the next change is November's.
    expect(nextTransition(Date.parse(march.at), zone)).toEqual(november);
    expect(nextTransition(Date.UTC(2025, 5, 1), zone)).toEqual(november);
    // Back before the remembered span.
    expect(nextTransition(Date.UTC(2024, 11, 31), zone)).toEqual(march);
  });

  it('extends a span without changes only as far as asked, and finds a change past it', () => {
    // Europe/Istanbul has kept +03:00 since Turkey stayed on summer time in 2016.
    expect(nextTransition(Date.UTC(2020, 0, 1), 'Europe/Istanbul')).toBeNull();
    expect(nextTransition(Date.UTC(2020, 0, 2), 'Europe/Istanbul')).toBeNull();
    expect(nextTransition(Date.UTC(2023, 0, 1), 'Europe/Istanbul')).toBeNull();
    // Asked before the remembered span: the end of summer time in November 2015 is found.
    const before = nextTransition(Date.UTC(2015, 9, 1), 'Europe/Istanbul');
    expect(before).toMatchObject({ offsetBefore: '+03:00', offsetAfter: '+02:00', isDstAfter: false });
  });
});

describe('instantOfWall', () => {
  const wall = (y: number, mo: number, d: number, h: number, mi: number) => ({
    year: y,
    month: mo,
    day: d,
    hour: h,
    minute: mi,
    second: 0,
    millisecond: 0,
  });

  it('maps ordinary, skipped and repeated local times', () => {
    expect(instantOfWall(wall(2024, 3, 10, 1, 30), 'America/New_York')).toEqual({
      epochMs: Date.UTC(2024, 2, 10, 6, 30),
      resolution: 'exact',
    });
    // 02:30 does not exist on 2024-03-10 in New York; it is read as 03:30 EDT.
    expect(instantOfWall(wall(2024, 3, 10, 2, 30), 'America/New_York')).toEqual({
      epochMs: Date.UTC(2024, 2, 10, 7, 30),
      resolution: 'skipped',
    });
    // 01:30 happens twice on 2024-11-03: first EDT, then EST.
    expect(instantOfWall(wall(2024, 11, 3, 1, 30), 'America/New_York')).toEqual({
      epochMs: Date.UTC(2024, 10, 3, 5, 30),
      resolution: 'repeated',
      laterEpochMs: Date.UTC(2024, 10, 3, 6, 30),
    });
  });
});

describe('parseTime', () => {
  it('reads the accepted forms', () => {
    expect(parseTime('now')).toEqual({ kind: 'now' });
    expect(parseTime('14:30')).toEqual({ kind: 'time', hour: 14, minute: 30, second: 0, millisecond: 0 });
    expect(parseTime('9:05:07.5')).toEqual({ kind: 'time', hour: 9, minute: 5, second: 7, millisecond: 500 });
    expect(parseTime('2pm')).toMatchObject({ hour: 14, minute: 0 });
    expect(parseTime('2:30 p.m.')).toMatchObject({ hour: 14, minute: 30 });
    expect(parseTime('12am')).toMatchObject({ hour: 0 });
    expect(parseTime('12 PM')).toMatchObject({ hour: 12 });
    expect(parseTime('2024-03-10 14:30')).toEqual({
      kind: 'wall',
      wall: { year: 2024, month: 3, day: 10, hour: 14, minute: 30, second: 0, millisecond: 0 },
    });
    expect(parseTime('2024-03-10T10:00:00Z')).toEqual({ kind: 'instant', epochMs: Date.UTC(2024, 2, 10, 10) });
    expect(parseTime('2024-03-10T10:00:00+01:00')).toEqual({ kind: 'instant', epochMs: Date.UTC(2024, 2, 10, 9) });
    expect(parseTime('2024-03-10T10:00-0530')).toEqual({ kind: 'instant', epochMs: Date.UTC(2024, 2, 10, 15, 30) });
    expect(parseTime('2024-02-29 00:00')).toMatchObject({ kind: 'wall' });
  });

  it.each([
    ['', 'empty'],
    ['25:00', 'hour 25'],
    ['12:60', 'minute 60'],
    ['10:00:61', 'second 61'],
    ['13pm', 'hour 13'],
    ['0am', 'hour 0'],
    ['14', 'bare number'],
    ['2023-02-29 10:00', 'day 29'],
    ['2024-04-31 10:00', 'day 31'],
    ['2024-13-01 10:00', 'month 13'],
    ['2024-03-10', 'needs a time'],
    ['2024-03-10T10:00+25:00', 'offset'],
    ['tomorrow at noon', 'none of the accepted forms'],
    ['10/03/2024 10:00', 'none of the accepted forms'],
  ])('rejects %j (%s)', (text, why) => {
    const error = inputError(() => parseTime(text));
    expect(error.code).toBe('invalid_time');
    expect(error.message).toContain(why);
    expect(error.hint).toContain('2024-03-10T14:30:00Z');
  });
});

describe('convertTime', () => {
  it('converts across the weeks when only one side has changed to summer time', () => {
    // The US moves on 2024-03-10, the UK on 2024-03-31: the gap is 4 hours between them, 5 otherwise.
    const before = convertTime('2024-03-05 12:00', 'America/New_York', 'Europe/London');
    expect(before).toMatchObject({ differenceHours: 5, difference: '+05:00', dayShift: 0, resolution: 'exact' });
    expect(before.target.time).toBe('17:00:00');
    const between = convertTime('2024-03-20 12:00', 'America/New_York', 'Europe/London');
    expect(between).toMatchObject({ differenceHours: 4, difference: '+04:00' });
    expect(between.source.isDst).toBe(true);
    expect(between.target).toMatchObject({ time: '16:00:00', isDst: false, abbreviation: 'GMT' });
    const after = convertTime('2024-04-05 12:00', 'America/New_York', 'Europe/London');
    expect(after).toMatchObject({ differenceHours: 5 });
    expect(after.target).toMatchObject({ time: '17:00:00', isDst: true });
  });

  it('reports skipped and repeated local times', () => {
    const skipped = convertTime('2024-03-10 02:30', 'America/New_York', 'UTC');
    expect(skipped.resolution).toBe('skipped');
    expect(skipped.source.time).toBe('03:30:00');
    expect(skipped.target.utc).toBe('2024-03-10T07:30:00Z');
    expect(skipped.note).toContain('does not exist');

    const repeated = convertTime('2024-11-03 01:30', 'America/New_York', 'UTC');
    expect(repeated.resolution).toBe('repeated');
    expect(repeated.target.time).toBe('05:30:00');
    expect(repeated.note).toContain('2024-11-03T01:30:00-05:00');
  });

  it('shifts the date and handles half-hour zones', () => {
    const tokyo = convertTime('2024-03-10 23:00', 'UTC', 'Asia/Tokyo');
    expect(tokyo).toMatchObject({ dayShift: 1, differenceHours: 9 });
    expect(tokyo.target).toMatchObject({ date: '2024-03-11', weekday: 'Monday' });
    const india = convertTime('09:00', 'Europe/Berlin', 'Asia/Kolkata', Date.UTC(2024, 0, 10));
    expect(india).toMatchObject({ differenceHours: 4.5, difference: '+04:30' });
    expect(india.target.time).toBe('13:30:00');
    expect(india.source.date).toBe('2024-01-10');
    const west = convertTime('2024-01-10 01:00', 'Asia/Tokyo', 'America/Los_Angeles');
    expect(west).toMatchObject({ dayShift: -1, differenceHours: -17 });
  });

  it('takes an instant with an offset as that instant, and "now" as now', () => {
    const instant = convertTime('2024-06-01T12:00:00+02:00', 'America/Chicago', 'Asia/Tokyo');
    expect(instant.resolution).toBe('instant');
    expect(instant.source.iso).toBe('2024-06-01T05:00:00-05:00');
    expect(instant.target.iso).toBe('2024-06-01T19:00:00+09:00');
    const now = Date.now();
    expect(Date.parse(convertTime('now', 'UTC', 'Asia/Tokyo', now).target.iso)).toBe(now);
  });
});
