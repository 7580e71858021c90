#!/usr/bin/env bash
# Start the composed MCP server (stdio by default) with its default config, bootstrapping Node, pnpm and
# dependencies and building first when needed. Arguments go to the `mcp-packs` CLI (try --help).
# Nothing but the MCP protocol is written to stdout.
set -euo pipefail
# shellcheck source=bootstrap.sh
source "$(dirname "$0")/bootstrap.sh"
mcp_packs_bootstrap
cd "$MCP_PACKS_ROOT"
pnpm exec turbo run build --filter=@mcp-packs/server... --output-logs=errors-only >&2
exec node "$MCP_PACKS_ROOT/apps/server/dist/cli.js" "$@"
