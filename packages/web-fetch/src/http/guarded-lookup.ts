/**
 * A `dns.lookup`-compatible function that checks every answer against the address policy and hands the socket only
 * the addresses it checked. Node connects to what the lookup returns, so there is no second resolution an attacker
 * could rebind between the check and the connect.
 */

import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { AddressPolicy } from '../policy/address-policy.js';
import { FetchError } from '../policy/fetch-error.js';
import { blockedAddressError } from '../policy/request-policy.js';

/** Resolves a host name to its addresses (all of them). The default is the system resolver (`dns.lookup`). */
export type Resolver = (hostname: string, family: 0 | 4 | 6) => Promise<readonly LookupAddress[]>;

/**
 * The system resolver, as `getaddrinfo` answers (hosts file included), in the system's order.
 */
export const systemResolver: Resolver = (hostname, family) =>
  lookup(hostname, { all: true, family, order: 'verbatim' });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The signature Node's `http.request({ lookup })` calls. */
export type LookupFunction = (
  hostname: string,
  options: number | { family?: number | string; all?: boolean } | undefined,
  callback: LookupCallback,
) => void;

/**
 * Create a lookup that resolves with `resolver`, keeps only the addresses `policy` allows, and fails with a
 * `blocked_address` policy error when none is left.
 */
export function createGuardedLookup(policy: AddressPolicy, resolver: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    const family =
      opts.family === 4 || opts.family === 'IPv4' ? 4 : opts.family === 6 || opts.family === 'IPv6' ? 6 : 0;
    resolver(hostname, family).then(
      (answers) => {
        const verdicts = answers.map((answer) => ({ answer, verdict: policy.check(answer.address) }));
        const allowed = verdicts.filter(({ verdict }) => verdict.allowed).map(({ answer }) => answer);
        const first = allowed[0];
        if (!first) {
          const refused = verdicts[0];
          const error = refused
            ? blockedAddressError(hostname, refused.verdict.address, refused.verdict.range)
            : new FetchError(`The host ${hostname} has no address.`, {
                code: 'dns_failed',
                kind: 'network',
                hint: 'Check the host name.',
              });
          callback(Object.assign(error, { errno: undefined }) as NodeJS.ErrnoException, '', undefined);
          return;
        }
        if (opts.all)
          callback(
            null,
            allowed.map((answer) => ({ address: answer.address, family: answer.family })),
          );
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', undefined),
    );
  };
}
