import { definePack } from '@mcp-packs/core';
import { promptWithArguments, promptWithEmbeddedResource, promptWithImage, simplePrompt } from './prompts.js';
import { staticBinary, staticText, templateData, watchedResource } from './resources.js';
import {
  audioContent,
  embeddedResource,
  errorHandling,
  imageContent,
  multipleContentTypes,
  simpleText,
} from './tools/content.js';
import {
  elicitation,
  elicitationDefaults,
  elicitationEnums,
  inputRequiredElicitation,
  inputRequiredMultiRound,
  inputRequiredRequestState,
  inputRequiredTamperedState,
  streamingElicitation,
} from './tools/elicitation.js';
import { jsonSchema202012 } from './tools/json-schema.js';
import { loggingTool, toolWithLogging, toolWithProgress } from './tools/notifications.js';

/**
 * The fixtures the MCP conformance suite (`@modelcontextprotocol/conformance`) calls on a server, under the names
 * it calls them by. Mount it without a prefix (`"prefix": null`) so the tool and prompt names are the suite's.
 * Everything here is written with core's public API only; what core cannot express is listed in the README.
 */
export const conformancePack = definePack({
  name: 'conformance',
  version: '0.0.0',
  description:
    'The fixtures of the MCP conformance suite: content, logging, progress, elicitation, resources, prompts.',
  tools: {
    test_simple_text: simpleText,
    test_image_content: imageContent,
    test_audio_content: audioContent,
    test_embedded_resource: embeddedResource,
    test_multiple_content_types: multipleContentTypes,
    test_error_handling: errorHandling,
    test_tool_with_logging: toolWithLogging,
    test_tool_with_progress: toolWithProgress,
    test_elicitation: elicitation,
    test_elicitation_sep1034_defaults: elicitationDefaults,
    test_elicitation_sep1330_enums: elicitationEnums,
    json_schema_2020_12_tool: jsonSchema202012,
    // 2026-07-28 era (stateless): input_required rounds and the server-stateless diagnostics.
    test_input_required_result_elicitation: inputRequiredElicitation,
    test_input_required_result_request_state: inputRequiredRequestState,
    test_input_required_result_multi_round: inputRequiredMultiRound,
    test_input_required_result_tampered_state: inputRequiredTamperedState,
    test_streaming_elicitation: streamingElicitation,
    test_logging_tool: loggingTool,
  },
  resources: {
    static_text: staticText,
    static_binary: staticBinary,
    watched_resource: watchedResource,
  },
  resourceTemplates: {
    template_data: templateData,
  },
  prompts: {
    test_simple_prompt: simplePrompt,
    test_prompt_with_arguments: promptWithArguments,
    test_prompt_with_embedded_resource: promptWithEmbeddedResource,
    test_prompt_with_image: promptWithImage,
  },
});
