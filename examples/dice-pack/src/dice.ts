/** Dice notation (`3d6+2`) and rolling, with no MCP in sight: the domain code of the pack. */

export interface DiceSpec {
  count: number;
  sides: number;
  modifier: number;
}

const NOTATION = /^\s*(\d*)d(\d+)\s*([+-]\s*\d+)?\s*$/i;

/** Parse `NdS±M`; returns undefined when the text is not dice notation. */
export function parseDice(text: string): DiceSpec | undefined {
  const match = NOTATION.exec(text);
  if (!match) return undefined;
  return {
    count: match[1] ? Number(match[1]) : 1,
    sides: Number(match[2]),
    modifier: match[3] ? Number(match[3].replace(/\s+/g, '')) : 0,
  };
}

/** A small seedable generator (mulberry32), so rolls can be reproduced in tests and games. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roll the dice: each die and the total. */
export function roll(spec: DiceSpec, random: () => number): { rolls: number[]; total: number } {
  const rolls = Array.from({ length: spec.count }, () => 1 + Math.floor(random() * spec.sides));
  return { rolls, total: rolls.reduce((sum, value) => sum + value, 0) + spec.modifier };
}
