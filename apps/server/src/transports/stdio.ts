/**
 * stdio: one protocol server on stdin/stdout. stdout carries the protocol and nothing else; a client that goes
 * away mid-write (EPIPE) is not an error worth a crash.
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ComposedServer, Composition } from '../compose.js';

/** Connect a new server of the composition to stdin/stdout (or the given streams). */
export async function serveStdio(
  composition: Composition,
  io: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
): Promise<ComposedServer> {
  io.stdout.on('error', () => {
    // The client closed its end; shutdown follows from stdin closing.
  });
  const composed = composition.createServer();
  await composed.server.connect(new StdioServerTransport(io.stdin, io.stdout));
  return composed;
}
