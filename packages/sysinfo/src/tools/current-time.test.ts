import { type CallToolResult, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { sysinfoPack } from '../index.js';
import { localZone } from '../time/zones.js';

function details(result: CallToolResult): Record<string, unknown> | undefined {
  return (result._meta?.['mcp-packs/error'] as { details?: Record<string, unknown> } | undefined)?.details;
}

describe('sys_current_time', () => {
  it('gives the time now in a named zone', async () => {
    await using conn = await connectPack(sysinfoPack);
    const before = Date.now();
    const result = await conn.callTool('current_time', { timeZone: 'asia/tokyo' });
    const out = structured<{ timeZone: string; iso: string; utcOffset: string; isDst: boolean; weekday: string }>(
      result,
    );
    expect(out.timeZone).toBe('Asia/Tokyo');
    expect(out.utcOffset).toBe('+09:00');
    expect(out.isDst).toBe(false);
    const at = Date.parse(out.iso);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(out.weekday).toBe(
      new Date(at + 9 * 3600_000).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }),
    );
    expect(resultText(result)).toContain('Asia/Tokyo');
  });

  it('defaults to the configured zone, else the local one', async () => {
    await using configured = await connectPack(sysinfoPack, { config: { timeZone: 'America/Sao_Paulo' } });
    expect(structured(await configured.callTool('current_time')).timeZone).toBe('America/Sao_Paulo');
    await using local = await connectPack(sysinfoPack);
    expect(structured(await local.callTool('current_time')).timeZone).toBe(localZone());
  });

  it('reports DST and the next change for a zone that has them', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<{ nextTransition: { at: string; offsetAfter: string } | null }>(
      await conn.callTool('current_time', { timeZone: 'Europe/Berlin' }),
    );
    expect(out.nextTransition).not.toBeNull();
    const inDays = (Date.parse(out.nextTransition?.at ?? '') - Date.now()) / 86_400_000;
    expect(inDays).toBeGreaterThan(0);
    expect(inDays).toBeLessThan(366);
    expect(['+01:00', '+02:00']).toContain(out.nextTransition?.offsetAfter);
    const kolkata = structured(await conn.callTool('current_time', { timeZone: 'Asia/Kolkata' }));
    expect(kolkata).toMatchObject({ timeZone: 'Asia/Kolkata', nextTransition: null, isDst: false });
  });

  it('refuses an unknown zone with close matches, and an ambiguous abbreviation', async () => {
    await using conn = await connectPack(sysinfoPack);
    const unknown = await conn.callTool('current_time', { timeZone: 'Europe/Pariss' });
    expect(errorCode(unknown)).toBe('unknown_time_zone');
    expect(details(unknown)?.suggestions).toContain('Europe/Paris');
    expect(resultText(unknown)).toContain('Did you mean "Europe/Paris"');
    expect(resultText(unknown)).toContain('Hint:');
    const ambiguous = await conn.callTool('current_time', { timeZone: 'IST' });
    expect(errorCode(ambiguous)).toBe('ambiguous_time_zone');
    expect(details(ambiguous)?.suggestions).toContain('Asia/Kolkata');
  });

  it('rejects input of the wrong type without running', async () => {
    await using conn = await connectPack(sysinfoPack);
    const result = await conn.callTool('current_time', { timeZone: 42 });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('timeZone');
  });
});
