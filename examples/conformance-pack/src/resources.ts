/**
 * Resources of the conformance fixtures (scenarios `resources-list`, `resources-read-text`, `resources-read-binary`,
 * `resources-templates-read`, `resources-subscribe`, `resources-unsubscribe`).
 *
 * Written with the URIs the suite reads; the pack is mounted with `prefix: null`, which serves them as written (a
 * prefixed mount would serve `test://<prefix>/static-text`).
 */
import { defineResource, defineResourceTemplate } from '@mcp-packs/core';
import { RED_PIXEL_PNG } from './fixtures.js';

/** `test://static-text`: fixed text. */
export const staticText = defineResource({
  uri: 'test://static-text',
  title: 'Static Text Resource',
  description: 'Conformance fixture: a fixed text resource.',
  mimeType: 'text/plain',
  read: () => ({ text: 'This is the content of the static text resource.', mimeType: 'text/plain' }),
});

/** `test://static-binary`: a fixed PNG. */
export const staticBinary = defineResource({
  uri: 'test://static-binary',
  title: 'Static Binary Resource',
  description: 'Conformance fixture: a fixed binary resource (a 1x1 PNG).',
  mimeType: 'image/png',
  read: () => ({ blob: RED_PIXEL_PNG, mimeType: 'image/png' }),
});

/** `test://watched-resource`: the resource the subscription scenarios subscribe to. */
export const watchedResource = defineResource({
  uri: 'test://watched-resource',
  title: 'Watched Resource',
  description: 'Conformance fixture: the resource a client subscribes to.',
  mimeType: 'text/plain',
  read: () => ({ text: 'Watched resource content', mimeType: 'text/plain' }),
});

/** `test://template/{id}/data`: JSON naming the id it was read with. */
export const templateData = defineResourceTemplate({
  uriTemplate: 'test://template/{id}/data',
  title: 'Resource Template',
  description: 'Conformance fixture: JSON data for any id, showing the substituted template variable.',
  mimeType: 'application/json',
  read: (_uri, { id }) => ({
    text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
    mimeType: 'application/json',
  }),
});
