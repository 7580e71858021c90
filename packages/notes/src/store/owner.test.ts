import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startChild } from './fixtures/child.js';
import { livenessOf, OWNER_TAG, ownerOfTag, ownerTag, thisProcess } from './owner.js';

const linux = process.platform === 'linux';

/** The pid of a process that has exited (so it is certainly not alive). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

function parse(tag: string) {
  const match = new RegExp(`^${OWNER_TAG}$`).exec(tag);
  if (!match) throw new Error(`not an owner tag: ${tag}`);
  return ownerOfTag(match[1] as string, match[2] as string, match[3] as string);
}

describe('process owners', () => {
  it('name this process by scope, pid and (on Linux) start, in a tag that parses back', () => {
    const me = thisProcess();
    expect(me.pid).toBe(process.pid);
    expect(me.scope).toMatch(/^[0-9a-f]{8}$/);
    if (linux) expect(me.start).toMatch(/^[0-9a-z]+$/);
    expect(parse(ownerTag())).toEqual(me);
    expect(livenessOf(me)).toBe(linux ? 'alive' : 'running');
  });

  it('tell a live process from a dead one, and from the next process given the same pid', async () => {
    const live = startChild('live-owner.ts', []);
    try {
      const owner = parse(await live.line());
      expect(owner.scope).toBe(thisProcess().scope);
      expect(livenessOf(owner)).toBe(linux ? 'alive' : 'running');
      if (linux) {
        // Its pid, but a process that started at another time: the pid was reused, the writer is gone.
        expect(livenessOf({ ...owner, start: `${owner.start}0` })).toBe('dead');
        expect(livenessOf({ ...thisProcess(), start: `${thisProcess().start}0` })).toBe('dead');
      }
      // Where the start cannot be compared, a process with the pid may be the writer.
      expect(livenessOf({ ...owner, start: undefined })).toBe('running');
    } finally {
      await live.kill();
    }
    expect(livenessOf({ ...thisProcess(), pid: await deadPid() })).toBe('dead');
  });

  it('call an owner of another scope (host, boot, container) foreign, whatever its pid', () => {
    const me = thisProcess();
    const other = me.scope === '00000000' ? '00000001' : '00000000';
    expect(livenessOf({ ...me, scope: other })).toBe('foreign');
  });
});
