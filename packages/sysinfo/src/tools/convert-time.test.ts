import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { sysinfoPack } from '../index.js';

interface Side {
  timeZone: string;
  iso: string;
  time: string;
  date: string;
  isDst: boolean;
}
interface Conversion {
  source: Side;
  target: Side;
  differenceHours: number;
  difference: string;
  dayShift: number;
  resolution: string;
  note?: string;
}

describe('sys_convert_time', () => {
  it('converts across the weeks when only one side has moved its clocks', async () => {
    await using conn = await connectPack(sysinfoPack);
    const convert = async (time: string) =>
      structured<Conversion>(
        await conn.callTool('convert_time', { time, fromTimeZone: 'Europe/London', toTimeZone: 'America/New_York' }),
      );
    // UK summer time starts 2024-03-31; US daylight time started 2024-03-10.
    const before = await convert('2024-03-01 15:00');
    expect(before).toMatchObject({ differenceHours: -5, difference: '-05:00', dayShift: 0, resolution: 'exact' });
    expect(before.target.time).toBe('10:00:00');
    const between = await convert('2024-03-20 15:00');
    expect(between).toMatchObject({ differenceHours: -4 });
    expect(between.target).toMatchObject({ time: '11:00:00', isDst: true });
    expect(between.source.isDst).toBe(false);
    const after = await convert('2024-04-10 15:00');
    expect(after).toMatchObject({ differenceHours: -5 });
    expect(after.source.isDst).toBe(true);
  });

  it('explains a local time that the clocks skip or repeat', async () => {
    await using conn = await connectPack(sysinfoPack);
    const skipped = structured<Conversion>(
      await conn.callTool('convert_time', {
        time: '2024-03-31 01:30',
        fromTimeZone: 'Europe/London',
        toTimeZone: 'UTC',
      }),
    );
    expect(skipped.resolution).toBe('skipped');
    expect(skipped.target.time).toBe('01:30:00');
    expect(skipped.source.time).toBe('02:30:00');
    expect(skipped.note).toContain('does not exist');
    const repeated = await conn.callTool('convert_time', {
      time: '2024-10-27 01:30',
      fromTimeZone: 'Europe/London',
      toTimeZone: 'Asia/Tokyo',
    });
    expect(structured<Conversion>(repeated).resolution).toBe('repeated');
    expect(resultText(repeated)).toContain('happens twice');
  });

  it('defaults the source zone to the configured one and reads times of day as today there', async () => {
    await using conn = await connectPack(sysinfoPack, { config: { timeZone: 'Asia/Kolkata' } });
    const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(Date.now());
    const dayBefore = today();
    const out = structured<Conversion>(await conn.callTool('convert_time', { time: '9:30am', toTimeZone: 'UTC' }));
    expect(out.source).toMatchObject({ timeZone: 'Asia/Kolkata', time: '09:30:00' });
    expect(out.target.time).toBe('04:00:00');
    expect(out.differenceHours).toBe(-5.5);
    expect([dayBefore, today()]).toContain(out.source.date);
  });

  it('refuses bad times and bad zones with codes and hints', async () => {
    await using conn = await connectPack(sysinfoPack);
    for (const time of ['25:00', '2024-02-30 10:00', 'next tuesday', '']) {
      const result = await conn.callTool('convert_time', { time, fromTimeZone: 'UTC', toTimeZone: 'Asia/Tokyo' });
      expect(errorCode(result), time).toBe('invalid_time');
      expect(resultText(result)).toContain('Hint:');
    }
    const badTarget = await conn.callTool('convert_time', { time: 'now', toTimeZone: 'Amerika/Chicago' });
    expect(errorCode(badTarget)).toBe('unknown_time_zone');
    expect(resultText(badTarget)).toContain('America/Chicago');
    const badSource = await conn.callTool('convert_time', { time: 'now', fromTimeZone: 'Nowhere', toTimeZone: 'UTC' });
    expect(errorCode(badSource)).toBe('unknown_time_zone');
    const missing = await conn.callTool('convert_time', { time: 'now' });
    expect(missing.isError).toBe(true);
    expect(resultText(missing)).toContain('toTimeZone');
  });
});
