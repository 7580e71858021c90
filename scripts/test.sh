#!/usr/bin/env bash
# Run every test of the workspace (unit, integration and type tests), bootstrapping Node, pnpm and dependencies
# first when they are missing. Extra arguments go to vitest (for example a file filter).
set -euo pipefail
# shellcheck source=bootstrap.sh
source "$(dirname "$0")/bootstrap.sh"
mcp_packs_bootstrap
cd "$MCP_PACKS_ROOT"
exec pnpm exec vitest run "$@"
