import { describe, expect, it } from 'vitest';
import { type PrivacyPolicy, REDACTED, Redactor } from './redactor.js';

const HIDDEN: PrivacyPolicy = {
  hostname: false,
  username: false,
  homeDirectory: false,
  macAddresses: false,
  serialNumbers: false,
  commandLines: false,
  environment: [],
};
const SHOWN: PrivacyPolicy = {
  hostname: true,
  username: true,
  homeDirectory: true,
  macAddresses: true,
  serialNumbers: true,
  commandLines: true,
  environment: ['LANG', 'HOME', 'USER', 'MISSING'],
};
const identity = { hostname: 'alices-laptop', username: 'alice', homeDirectory: '/home/alice', uid: 1000 };

describe('Redactor with everything hidden (the default)', () => {
  const redactor = new Redactor(HIDDEN, identity);

  it('hides identity, MACs and serials', () => {
    expect(redactor.hostname()).toBe(REDACTED);
    expect(redactor.username()).toBe(REDACTED);
    expect(redactor.homeDirectory()).toBe(REDACTED);
    expect(redactor.mac('aa:bb:cc:dd:ee:ff')).toBe(REDACTED);
    expect(redactor.serial('SN123')).toBe(REDACTED);
  });

  it('keeps null as null: unknown is not hidden', () => {
    expect(redactor.mac(null)).toBeNull();
    expect(redactor.serial(null)).toBeNull();
    expect(new Redactor(HIDDEN, { ...identity, username: null, homeDirectory: null }).username()).toBeNull();
  });

  it('shortens the home directory in free text, only at a path boundary', () => {
    expect(redactor.text('/home/alice/projects/x')).toBe('~/projects/x');
    expect(redactor.text('/home/alice')).toBe('~');
    expect(redactor.text('PATH=/home/alice/bin:/usr/bin')).toBe('PATH=~/bin:/usr/bin');
    expect(redactor.text('/home/alicexyz/file')).toBe('/home/alicexyz/file');
    expect(redactor.text('alice')).toBe(REDACTED);
    expect(redactor.text('alices-laptop')).toBe(REDACTED);
  });

  it('hides command lines whole, but not the absence of one', () => {
    expect(redactor.commandLine(['node', 'server.js'])).toBe(REDACTED);
    expect(redactor.commandLine([])).toBe('');
  });

  it('shows no environment variable', () => {
    expect(redactor.environment({ LANG: 'en_US.UTF-8', HOME: '/home/alice' })).toEqual({});
  });

  it("hides people's account names but not system accounts", () => {
    const names = new Map([
      [0, 'root'],
      [33, 'www-data'],
      [1000, 'alice'],
      [1001, 'bob'],
      [65534, 'nobody'],
    ]);
    expect(redactor.owner(0, names)).toBe('root');
    expect(redactor.owner(33, names)).toBe('www-data');
    expect(redactor.owner(65534, names)).toBe('nobody');
    expect(redactor.owner(1000, names)).toBe(REDACTED);
    expect(redactor.owner(1001, names)).toBe(REDACTED);
    expect(redactor.owner(null, names)).toBeNull();
    // The server's own account is hidden even when it is a system account.
    expect(new Redactor(HIDDEN, { ...identity, uid: 0 }).owner(0, names)).toBe(REDACTED);
  });
});

describe('Redactor with everything shown', () => {
  const redactor = new Redactor(SHOWN, identity);

  it('shows identity, MACs and serials', () => {
    expect(redactor.hostname()).toBe('alices-laptop');
    expect(redactor.username()).toBe('alice');
    expect(redactor.homeDirectory()).toBe('/home/alice');
    expect(redactor.mac('aa:bb:cc:dd:ee:ff')).toBe('aa:bb:cc:dd:ee:ff');
    expect(redactor.serial('SN123')).toBe('SN123');
    expect(redactor.text('/home/alice/x')).toBe('/home/alice/x');
    expect(redactor.owner(1001, new Map([[1001, 'bob']]))).toBe('bob');
  });

  it('shows command lines with secret-looking values still masked', () => {
    expect(redactor.commandLine(['/home/alice/bin/app', '--port', '8080', '--verbose'])).toBe(
      '/home/alice/bin/app --port 8080 --verbose',
    );
    expect(redactor.commandLine(['app', '--password=hunter2', '--db-token', 'abc', '--name', 'x'])).toBe(
      `app --password=${REDACTED} --db-token ${REDACTED} --name x`,
    );
    expect(redactor.commandLine(['env', 'AWS_SECRET_ACCESS_KEY=xyz', 'API_KEY=k', 'MODE=fast'])).toBe(
      `env AWS_SECRET_ACCESS_KEY=${REDACTED} API_KEY=${REDACTED} MODE=fast`,
    );
    expect(redactor.commandLine(['psql', 'postgres://bob:s3cret@db:5432/app'])).toBe(
      `psql postgres://bob:${REDACTED}@db:5432/app`,
    );
    // A flag that takes no value does not swallow the next flag.
    expect(redactor.commandLine(['app', '--auth', '--port', '1'])).toBe('app --auth --port 1');
  });

  it('shows allowed environment variables that are set, and only those', () => {
    expect(
      redactor.environment({ LANG: 'C.UTF-8', HOME: '/home/alice', USER: 'alice', SECRET: 'x', PATH: '/bin' }),
    ).toEqual({ LANG: 'C.UTF-8', HOME: '/home/alice', USER: 'alice' });
  });
});

describe('Redactor with each flag on its own', () => {
  it('keeps the other facts hidden', () => {
    const onlyHost = new Redactor({ ...HIDDEN, hostname: true }, identity);
    expect(onlyHost.hostname()).toBe('alices-laptop');
    expect(onlyHost.username()).toBe(REDACTED);

    const onlyCommands = new Redactor({ ...HIDDEN, commandLines: true }, identity);
    expect(onlyCommands.commandLine(['/home/alice/bin/app', 'alice'])).toBe(`~/bin/app ${REDACTED}`);

    const onlyEnv = new Redactor({ ...HIDDEN, environment: ['HOME', 'USER', 'LANG'] }, identity);
    // An allowed variable still may not give away a hidden fact.
    expect(onlyEnv.environment({ HOME: '/home/alice', USER: 'alice', LANG: 'C' })).toEqual({
      HOME: '~',
      USER: REDACTED,
      LANG: 'C',
    });

    const onlyMacs = new Redactor({ ...HIDDEN, macAddresses: true }, identity);
    expect(onlyMacs.mac('aa:bb:cc:dd:ee:ff')).toBe('aa:bb:cc:dd:ee:ff');
    expect(onlyMacs.serial('SN1')).toBe(REDACTED);

    const onlySerials = new Redactor({ ...HIDDEN, serialNumbers: true }, identity);
    expect(onlySerials.serial('SN1')).toBe('SN1');
    expect(onlySerials.mac('aa:bb:cc:dd:ee:ff')).toBe(REDACTED);

    const onlyUser = new Redactor({ ...HIDDEN, username: true }, identity);
    expect(onlyUser.username()).toBe('alice');
    expect(onlyUser.homeDirectory()).toBe(REDACTED);

    const onlyHome = new Redactor({ ...HIDDEN, homeDirectory: true }, identity);
    expect(onlyHome.homeDirectory()).toBe('/home/alice');
    expect(onlyHome.text('/home/alice/x')).toBe('/home/alice/x');
  });
});
