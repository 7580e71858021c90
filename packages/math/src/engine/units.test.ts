import { describe, expect, it } from 'vitest';
import { engine, failure } from './fixtures/engine.js';

describe('convertUnits', () => {
  it('converts and keeps the source', () => {
    expect(engine.convertUnits({ value: '5 inch', to: 'cm' })).toMatchObject({
      value: '12.7 cm',
      number: 12.7,
      unit: 'cm',
      from: '5 inch',
    });
    expect(engine.convertUnits({ value: '98.6 degF', to: 'degC' })).toMatchObject({ value: '37 degC' });
    expect(engine.convertUnits({ value: '3 ft + 2 inch', to: 'cm' }).number).toBeCloseTo(96.52, 10);
    expect(engine.convertUnits({ value: '60 km/h', to: 'SI' })).toMatchObject({ unit: 'm / s' });
  });

  it('lists the compatible units when the target does not fit', () => {
    const error = failure(() => engine.convertUnits({ value: '5 inch', to: 'kg' }));
    expect(error.code).toBe('incompatible_units');
    expect(error.message).toMatch(/length vs mass/);
    const compatible = error.details?.compatibleUnits as string[];
    expect(compatible).toEqual(expect.arrayContaining(['m', 'ft', 'mi']));
    expect(error.hint).toContain('ft');
  });

  it('refuses unknown units and values without a unit', () => {
    expect(failure(() => engine.convertUnits({ value: '5 inch', to: 'furlongz' })).code).toBe('invalid_input');
    expect(failure(() => engine.convertUnits({ value: '5', to: 'cm' })).code).toBe('invalid_input');
    expect(failure(() => engine.convertUnits({ value: '5 cm', to: 'constructor' })).code).toBe('invalid_input');
  });
});
