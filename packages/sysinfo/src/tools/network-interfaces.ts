import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { page, pagingInput } from '../paging.js';
import { REDACTED } from '../privacy/redactor.js';
import { integer } from '../schemas/integer.js';
import { loadSystem } from '../system/load.js';

/** `network_interfaces`: interfaces with their addresses; MAC addresses hidden unless configured. */
export const networkInterfacesTool = defineTool({
  title: 'Network interfaces',
  description:
    'Network interfaces: addresses (CIDR), state, MTU, MAC (MACs, EUI-64 IPv6 [redacted] unless configured). Local only, not the public IP.',
  inputSchema: () =>
    z.object({
      name: z.string().max(64).optional().describe('E.g. "eth0".'),
      includeInternal: z.boolean().default(true).describe('Include loopback.'),
      ...pagingInput(50, 200),
    }),
  outputSchema: () =>
    z.object({
      interfaces: z.array(
        z.object({
          name: z.string(),
          internal: z.boolean(),
          mac: z.string().nullable(),
          state: z.string().nullable(),
          mtu: z.number().nullable(),
          addresses: z.array(
            z.object({
              family: z.enum(['IPv4', 'IPv6']),
              address: z.string(),
              cidr: z.string().nullable(),
              netmask: z.string(),
              scopeId: z.number().nullable(),
              macDerived: z.boolean(),
            }),
          ),
        }),
      ),
      total: integer(),
      nextCursor: z.string().optional(),
    }),
  annotations: {
    title: 'Network interfaces',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async ({ name, includeInternal, limit, cursor }, { services }) => {
    const { ipv6Network64, readInterfaces } = await loadSystem();
    const redactor = services.redactor;
    const all = await readInterfaces();
    let chosen = includeInternal ? all : all.filter((entry) => !entry.internal);
    if (name !== undefined) {
      chosen = all.filter((entry) => entry.name === name);
      if (chosen.length === 0) {
        throw new ToolError(`There is no network interface named "${name}".`, {
          code: 'not_found',
          hint: `Interfaces on this machine: ${all.map((entry) => entry.name).join(', ')}.`,
          details: { interfaces: all.map((entry) => entry.name) },
        });
      }
    }
    const { items, nextCursor } = page(chosen, limit, cursor);
    return {
      interfaces: items.map((entry) => ({
        ...entry,
        mac: redactor.mac(entry.mac),
        addresses: entry.addresses.map((address) =>
          address.macDerived && !redactor.policy.macAddresses
            ? { ...address, address: REDACTED, cidr: ipv6Network64(address.address) }
            : address,
        ),
      })),
      total: chosen.length,
      ...(nextCursor === undefined ? {} : { nextCursor }),
    };
  },
});
