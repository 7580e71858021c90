/**
 * Unit conversion, and the compatible units a failed conversion lists.
 */
import type { MathJsInstance } from 'mathjs';
import { checkLength, type EngineContext, runStatements } from './context.js';
import { explainError } from './explain.js';
import { unsafeNameReason } from './guard.js';
import { MathError } from './math-error.js';
import type { ConvertUnitsInput, ConvertUnitsOutput } from './operations.js';

/** Convert a quantity to another unit; a target of another dimension fails listing compatible units. */
export function convertUnits(context: EngineContext, input: ConvertUnitsInput): ConvertUnitsOutput {
  const { sandbox, describe } = context;
  const box = sandbox('number');
  const { math } = box;
  checkLength(input.value, 'The value');
  let quantity: unknown;
  try {
    quantity = runStatements(box.parseChecked(input.value), new Map()).value;
  } catch (error) {
    throw explainError(error, box, input.value);
  }
  const source = quantity as {
    isUnit?: boolean;
    value: unknown;
    dimensions: number[];
    toSI(): unknown;
    to(unit: unknown): unknown;
  };
  if (source?.isUnit !== true || source.value === null) {
    throw new MathError('invalid_input', `${JSON.stringify(input.value)} is not a quantity with a unit.`, {
      hint: 'Write a number and a unit: "5 inch", "60 km/h", "3 ft + 2 inch".',
    });
  }
  const to = input.to.trim();
  let converted: unknown;
  if (/^si$/i.test(to)) {
    converted = source.toSI();
  } else {
    let target: { dimensions: number[]; value: unknown };
    try {
      if (unsafeNameReason(to) || to.length > 100) throw new Error('bad unit');
      target = math.unit(to) as never;
    } catch {
      throw new MathError('invalid_input', `${JSON.stringify(to)} is not a unit mathjs knows.`, {
        hint: `Units compatible with ${input.value}: ${compatibleUnits(math, source).join(', ')}.`,
      });
    }
    if (target.value !== null) {
      throw new MathError('invalid_input', `The target ${JSON.stringify(to)} has a number in it.`, {
        hint: 'Give only the unit, e.g. "cm" or "km/h".',
      });
    }
    if (!sameDimensions(source.dimensions, target.dimensions)) {
      const compatible = compatibleUnits(math, source);
      throw new MathError(
        'incompatible_units',
        `Cannot convert ${input.value} to ${to}: they measure different things (${dimensionName(math, source.dimensions)} vs ${dimensionName(math, target.dimensions)}).`,
        {
          hint: `Units compatible with ${input.value}: ${compatible.join(', ')}.`,
          details: { compatibleUnits: compatible },
        },
      );
    }
    converted = source.to(to);
  }
  return { ...describe(box, converted, input.precision), from: input.value };
}

function sameDimensions(a: readonly number[], b: readonly number[]): boolean {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > 1e-12) return false;
  return true;
}

interface UnitDefinition {
  name: string;
  value: number;
  offset: number;
  base: { dimensions: number[] };
}

/** Names of units with the same dimensions as `unit`, one per distinct size, shortest name first. */
export function compatibleUnits(math: MathJsInstance, unit: { dimensions: number[]; toSI(): unknown }): string[] {
  const units = (math.Unit as unknown as { UNITS: Record<string, UnitDefinition> }).UNITS;
  const bySize = new Map<string, string>();
  for (const [name, definition] of Object.entries(units)) {
    if (!sameDimensions(definition.base.dimensions, unit.dimensions)) continue;
    const key = `${definition.value}:${definition.offset}`;
    const existing = bySize.get(key);
    if (existing === undefined || name.length < existing.length) bySize.set(key, name);
  }
  const names = [...bySize.values()].slice(0, 40);
  const si = (unit.toSI() as { formatUnits(): string }).formatUnits();
  if (si && !names.includes(si)) names.unshift(si);
  return names.length > 0 ? names : ['(none)'];
}

function dimensionName(math: MathJsInstance, dimensions: readonly number[]): string {
  const base = math.Unit as unknown as {
    BASE_DIMENSIONS: string[];
    BASE_UNITS: Record<string, { dimensions: number[] }>;
  };
  for (const [name, definition] of Object.entries(base.BASE_UNITS)) {
    if (name !== 'NONE' && sameDimensions(definition.dimensions, dimensions))
      return name.toLowerCase().replaceAll('_', ' ');
  }
  const parts = dimensions
    .map((power, i) =>
      power === 0 ? '' : `${(base.BASE_DIMENSIONS[i] ?? '?').toLowerCase()}${power === 1 ? '' : `^${power}`}`,
    )
    .filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'dimensionless';
}
