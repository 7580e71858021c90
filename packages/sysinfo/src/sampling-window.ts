import { ToolError } from '@mcp-packs/core';

/** Refuse a sampling window longer than the config allows (`maxSampleMs`), saying what is allowed. */
export function checkSamplingWindow(windowMs: number, maxSampleMs: number, alternative = ''): void {
  if (windowMs <= maxSampleMs) return;
  throw new ToolError(`windowMs ${windowMs} is longer than this server allows (${maxSampleMs} ms).`, {
    code: 'window_too_long',
    hint: `Use a windowMs of at most ${maxSampleMs}${alternative}.`,
    details: { maxSampleMs },
  });
}
