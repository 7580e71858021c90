import { z } from 'zod';
import { definePrompt } from '../define.js';

/**
 * The `fetch` prompt: the user picks it in the client and gives a URL; the page's main content comes back as a
 * user message, ready to discuss. Because the user asked for this one page, robots.txt (which governs automated
 * agents) is not consulted; every other policy (addresses, hosts, size, time) applies as for the tool.
 */
export const fetchPrompt = definePrompt({
  title: 'Fetch a web page',
  description: 'Fetch a URL and add its main content (as Markdown) to the conversation.',
  argsSchema: z.object({
    url: z.string().describe('The http(s) URL to fetch'),
  }),
  get: async ({ url }, context) => {
    const result = await context.services.reader.read({
      url,
      format: 'markdown',
      mainContent: true,
      robots: false,
      signal: context.signal,
    });
    const more = result.truncated
      ? `\n\n[Only the first ${result.content.length} of ${result.length} characters are included. The rest can be read with the fetch tool and cursor "${result.nextCursor}".]`
      : '';
    return {
      description: result.title ? `${result.title} (${result.finalUrl})` : result.finalUrl,
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Contents of ${result.finalUrl}${result.title ? ` — ${result.title}` : ''}:\n\n${result.content}${more}`,
          },
        },
      ],
    };
  },
});
