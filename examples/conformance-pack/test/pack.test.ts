import { checkPack } from '@mcp-packs/core';
import { connectPack, type ElicitationRequest, errorCode, resultText, TEST_PROTOCOLS } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { conformancePack } from '../src/pack.js';

/** What the conformance suite's client answers to each form it is shown. */
function answer(request: ElicitationRequest) {
  const fields = Object.keys((request.requestedSchema.properties ?? {}) as Record<string, unknown>);
  const canned: Record<string, unknown> = {
    username: 'testuser',
    email: 'test@example.com',
    name: 'Alice',
    age: 25,
    score: 88,
    status: 'inactive',
    verified: false,
    untitledSingle: 'option1',
    titledSingle: 'value1',
    legacyEnum: 'opt1',
    untitledMulti: ['option1', 'option2'],
    titledMulti: ['value1', 'value2'],
    ok: true,
    color: 'teal',
  };
  return { action: 'accept' as const, content: Object.fromEntries(fields.map((field) => [field, canned[field]])) };
}

const connect = (protocol: (typeof TEST_PROTOCOLS)[number]) =>
  connectPack(conformancePack, { prefix: null, protocol, elicit: answer, logSink: () => {} });

describe('the conformance pack', () => {
  it('passes the pack linter but for the JSON Schema keywords the 2020-12 fixture exists to carry', () => {
    const findings = checkPack(conformancePack, { prefixes: [null] });
    expect(findings.map(({ level, where }) => `${level} ${where}`)).toEqual(
      Array(4).fill('warning tools.json_schema_2020_12_tool.inputSchema'),
    );
    expect(findings.map(({ message }) => message).join('\n')).toMatch(/\$ref[\s\S]*"if"[\s\S]*"then"[\s\S]*"else"/);
  });
});

describe.each(TEST_PROTOCOLS)('the conformance fixtures, %s era', (protocol) => {
  it('offers the tools and prompts under the names the suite calls', async () => {
    await using conn = await connect(protocol);
    const tools = (await conn.client.listTools()).tools.map((tool) => tool.name);
    expect(tools).toEqual(
      expect.arrayContaining([
        'test_simple_text',
        'test_image_content',
        'test_audio_content',
        'test_embedded_resource',
        'test_multiple_content_types',
        'test_tool_with_logging',
        'test_tool_with_progress',
        'test_error_handling',
        'test_elicitation',
        'test_elicitation_sep1034_defaults',
        'test_elicitation_sep1330_enums',
        'json_schema_2020_12_tool',
      ]),
    );
    const prompts = (await conn.client.listPrompts()).prompts.map((prompt) => prompt.name);
    expect(prompts.sort()).toEqual([
      'test_prompt_with_arguments',
      'test_prompt_with_embedded_resource',
      'test_prompt_with_image',
      'test_simple_prompt',
    ]);
  });

  it('answers with each kind of content block', async () => {
    await using conn = await connect(protocol);
    expect((await conn.client.callTool({ name: 'test_simple_text' })).content).toEqual([
      { type: 'text', text: 'This is a simple text response for testing.' },
    ]);
    expect((await conn.callTool('test_image_content')).content).toEqual([
      { type: 'image', data: expect.any(String), mimeType: 'image/png' },
    ]);
    expect((await conn.callTool('test_audio_content')).content).toEqual([
      { type: 'audio', data: expect.any(String), mimeType: 'audio/wav' },
    ]);
    expect((await conn.callTool('test_embedded_resource')).content).toEqual([
      {
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: expect.any(String) },
      },
    ]);
    const mixed = await conn.callTool('test_multiple_content_types');
    expect(mixed.content.map((block) => block.type)).toEqual(['text', 'image', 'resource']);
  });

  it('fails test_error_handling as a tool error', async () => {
    await using conn = await connect(protocol);
    const result = await conn.callTool('test_error_handling');
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('intentional_error');
    expect(resultText(result)).toContain('This tool intentionally returns an error for testing');
  });

  it('logs three messages and reports increasing progress', async () => {
    await using conn = await connect(protocol);
    await conn.callTool('test_tool_with_logging');
    expect(conn.logs.filter((entry) => entry.level === 'info')).toHaveLength(3);
    const seen: number[] = [];
    await conn.callTool('test_tool_with_progress', {}, { onProgress: ({ progress }) => seen.push(progress) });
    expect(seen).toEqual([0, 50, 100]);
  });

  it('asks the user through elicitation and reports the answer', async () => {
    await using conn = await connect(protocol);
    const result = await conn.callTool('test_elicitation', { message: 'Please provide your information' });
    expect(resultText(result)).toBe(
      'User response: action=accept, content={"username":"testuser","email":"test@example.com"}',
    );
    const form = conn.elicitations[0]?.requestedSchema;
    expect(form).toMatchObject({
      type: 'object',
      properties: { username: { type: 'string' }, email: { type: 'string' } },
      required: ['username', 'email'],
    });
  });

  it('asks with a default for every primitive type (SEP-1034)', async () => {
    await using conn = await connect(protocol);
    const result = await conn.callTool('test_elicitation_sep1034_defaults');
    expect(resultText(result)).toContain('action=accept');
    expect(conn.elicitations[0]?.requestedSchema.properties).toMatchObject({
      name: { type: 'string', default: 'John Doe' },
      age: { type: 'integer', default: 30 },
      score: { type: 'number', default: 95.5 },
      status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
      verified: { type: 'boolean', default: true },
    });
  });

  it('asks with each enum variant of SEP-1330', async () => {
    await using conn = await connect(protocol);
    const result = await conn.callTool('test_elicitation_sep1330_enums');
    expect(resultText(result)).toContain('"titledMulti":["value1","value2"]');
    const properties = conn.elicitations[0]?.requestedSchema.properties as Record<string, Record<string, unknown>>;
    expect(properties.untitledSingle).toEqual({
      type: 'string',
      enum: ['option1', 'option2', 'option3'],
      description: 'Select one option',
    });
    expect(properties.titledSingle).toMatchObject({
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    });
    expect(properties.titledSingle).not.toHaveProperty('enum');
    expect(properties.legacyEnum).toMatchObject({
      type: 'string',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    });
    expect(properties.untitledMulti).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    });
    expect(properties.titledMulti).toMatchObject({
      type: 'array',
      items: { anyOf: [{ const: 'value1', title: 'First Choice' }, {}, {}] },
    });
    expect(properties.titledMulti?.items).not.toHaveProperty('enum');
  });

  it('runs the input-required fixtures to the end (one round each, two for multi_round)', async () => {
    await using conn = await connect(protocol);
    expect(resultText(await conn.callTool('test_input_required_result_elicitation'))).toBe('Hello, Alice!');
    expect(resultText(await conn.callTool('test_input_required_result_request_state'))).toContain('state-ok');
    expect(resultText(await conn.callTool('test_input_required_result_multi_round'))).toBe('Alice likes teal.');
    expect(conn.elicitations.map((request) => request.message)).toEqual([
      'What is your name?',
      'Please confirm',
      'Step 1: What is your name?',
      'Step 2: What is your favorite color?',
    ]);
    expect(resultText(await conn.callTool('test_logging_tool'))).toBe('Logging evaluated');
  });

  it('lists the JSON Schema 2020-12 keywords of json_schema_2020_12_tool, but not $schema', async () => {
    await using conn = await connect(protocol);
    const tool = (await conn.client.listTools()).tools.find((t) => t.name === 'json_schema_2020_12_tool');
    const schema = tool?.inputSchema as Record<string, unknown>;
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { address: { $ref: '#/$defs/address' } },
      $defs: { address: { $anchor: 'addressDef', type: 'object' } },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, in a schema, never awaited
      then: { required: ['phone'] },
      else: { required: ['email'] },
    });
    // Core names no dialect: 2020-12 is what MCP assumes. The suite's SEP-1613 check wants it named (README, gaps).
    expect(schema).not.toHaveProperty('$schema');
    const called = await conn.callTool('json_schema_2020_12_tool', { contactMethod: 'email', email: 'a@b.c' });
    expect(called.isError).toBeFalsy();
    expect(errorCode(await conn.callTool('json_schema_2020_12_tool', { name: 'no contact' }))).toBe('invalid_input');
  });

  it('serves the resources at the exact URIs the suite reads (mounted with prefix null)', async () => {
    await using conn = await connect(protocol);
    const listed = (await conn.client.listResources()).resources.map((resource) => resource.uri);
    expect(listed).toEqual(
      expect.arrayContaining(['test://static-text', 'test://static-binary', 'test://watched-resource']),
    );
    const text = await conn.client.readResource({ uri: 'test://static-text' });
    expect(text.contents).toEqual([
      {
        uri: 'test://static-text',
        mimeType: 'text/plain',
        text: 'This is the content of the static text resource.',
      },
    ]);
    const binary = await conn.client.readResource({ uri: 'test://static-binary' });
    expect(binary.contents[0]).toMatchObject({ mimeType: 'image/png', blob: expect.any(String) });
    const templates = (await conn.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toEqual(['test://template/{id}/data']);
    const data = await conn.client.readResource({ uri: 'test://template/123/data' });
    expect(JSON.parse((data.contents[0] as { text: string }).text)).toEqual({
      id: '123',
      templateTest: true,
      data: 'Data for ID: 123',
    });
    // Under the pack name's authority is where a prefixed mount would serve it; this mount has none.
    await expect(conn.client.readResource({ uri: 'test://conformance/static-text' })).rejects.toThrow();
  });

  it('gets each prompt and completes arg1', async () => {
    await using conn = await connect(protocol);
    const simple = await conn.client.getPrompt({ name: 'test_simple_prompt' });
    expect(simple.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
    ]);
    const withArgs = await conn.client.getPrompt({
      name: 'test_prompt_with_arguments',
      arguments: { arg1: 'testValue1', arg2: 'testValue2' },
    });
    expect(JSON.stringify(withArgs.messages)).toContain("arg1='testValue1', arg2='testValue2'");
    const embedded = await conn.client.getPrompt({
      name: 'test_prompt_with_embedded_resource',
      arguments: { resourceUri: 'test://example-resource' },
    });
    expect(embedded.messages[0]?.content).toMatchObject({
      type: 'resource',
      resource: { uri: 'test://example-resource' },
    });
    const image = await conn.client.getPrompt({ name: 'test_prompt_with_image' });
    expect(image.messages[0]?.content).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const completion = await conn.client.complete({
      ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
      argument: { name: 'arg1', value: 'par' },
    });
    expect(completion.completion.values).toEqual(['paris', 'park', 'party']);
  });
});
