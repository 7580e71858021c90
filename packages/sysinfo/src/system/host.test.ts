import { afterAll, describe, expect, it } from 'vitest';
import { fakeRoots } from './fixtures/fake-root.js';
import { parseOsRelease, readDistribution, readHardware } from './host.js';

const roots = fakeRoots();
const fakeRoot = roots.make;
afterAll(roots.cleanup);

describe('parseOsRelease', () => {
  it('reads quoted, unquoted and escaped values', () => {
    expect(
      parseOsRelease('NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n# comment\nPRETTY_NAME="A \\"quoted\\" name"\n'),
    ).toEqual({ NAME: 'Fedora Linux', ID: 'fedora', VERSION_ID: '40', PRETTY_NAME: 'A "quoted" name' });
  });
});

describe('readDistribution', () => {
  it('prefers PRETTY_NAME and falls back to /usr/lib/os-release', async () => {
    const root = await fakeRoot({ 'usr/lib/os-release': 'NAME=Alpine\nID=alpine\nVERSION_ID=3.20.0\n' });
    expect(await readDistribution(root)).toEqual({ name: 'Alpine', id: 'alpine', version: '3.20.0' });
    expect(await readDistribution(await fakeRoot({}))).toBeNull();
  });

  it('reads this machine', async () => {
    expect((await readDistribution())?.name).toEqual(expect.any(String));
  });
});

describe('readHardware', () => {
  it('reads DMI fields and the machine id, ignoring firmware placeholders', async () => {
    const root = await fakeRoot({
      'sys/class/dmi/id/sys_vendor': 'ACME\n',
      'sys/class/dmi/id/product_name': 'Roadrunner 9000\n',
      'sys/class/dmi/id/product_serial': 'To Be Filled By O.E.M.\n',
      'sys/class/dmi/id/board_serial': 'BRD-1234\n',
      'etc/machine-id': '0123abcd\n',
    });
    expect(await readHardware(root)).toEqual({
      vendor: 'ACME',
      model: 'Roadrunner 9000',
      serialNumber: 'BRD-1234',
      machineId: '0123abcd',
    });
    expect(await readHardware(await fakeRoot({}))).toEqual({
      vendor: null,
      model: null,
      serialNumber: null,
      machineId: null,
    });
  });
});
