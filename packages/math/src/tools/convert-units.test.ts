import {
  type ConnectedPack,
  connectPack,
  ERROR_META_KEY,
  errorCode,
  resultText,
  structured,
} from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { logSink: () => {} });
});
afterAll(() => conn.close());

describe('math_convert_units', () => {
  it('converts, with the number, the unit and a readable text', async () => {
    const result = await conn.callTool('convert_units', { value: '5 inch', to: 'cm' });
    expect(structured(result)).toEqual({
      value: '12.7 cm',
      type: 'Unit',
      unit: 'cm',
      number: 12.7,
      latex: '12.7~\\mathrm{cm}',
      from: '5 inch',
    });
    expect(resultText(result)).toBe('5 inch = 12.7 cm');
  });

  it('handles compound units, temperatures, sums and SI', async () => {
    expect(
      structured(await conn.callTool('convert_units', { value: '60 mi/h', to: 'km/h', precision: 4 })),
    ).toMatchObject({
      value: '96.56 km / h',
    });
    expect(structured(await conn.callTool('convert_units', { value: '0 degC', to: 'degF' }))).toMatchObject({
      number: 32,
    });
    expect(structured(await conn.callTool('convert_units', { value: '1 kWh', to: 'J' }))).toMatchObject({
      number: 3.6e6,
    });
    expect(structured(await conn.callTool('convert_units', { value: '1 mi', to: 'SI' }))).toMatchObject({
      unit: 'm',
      number: 1609.344,
    });
  });

  it('lists the compatible units when the target measures something else', async () => {
    const result = await conn.callTool('convert_units', { value: '3 kg', to: 'm' });
    expect(errorCode(result)).toBe('incompatible_units');
    const text = resultText(result);
    expect(text).toMatch(
      /\[incompatible_units\] Cannot convert 3 kg to m: they measure different things \(mass vs length\)/,
    );
    expect(text).toMatch(/Hint: Units compatible with 3 kg: .*lb/);
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({
      details: { compatibleUnits: expect.arrayContaining(['kg', 'g', 'lb', 'oz']) },
    });
  });

  it('refuses unknown units and unit-less values', async () => {
    const unknown = await conn.callTool('convert_units', { value: '5 m', to: 'parsecs' });
    expect(errorCode(unknown)).toBe('invalid_input');
    expect(resultText(unknown)).toMatch(/Units compatible with 5 m: m, /);
    expect(errorCode(await conn.callTool('convert_units', { value: '42', to: 'm' }))).toBe('invalid_input');
    expect(errorCode(await conn.callTool('convert_units', { value: '5 m', to: '3 ft' }))).toBe('invalid_input');
  });
});
