# shellcheck shell=bash
# Make this checkout runnable: Node >= 22 (fetched from the npm registry when the system one is older), pnpm
# (installed with npm: Corepack's signature checks fail on some machines) and the workspace's dependencies.
# Sourced by scripts/start.sh and scripts/test.sh. Idempotent and quiet when everything is in place; everything it
# prints goes to stderr, because stdout may be an MCP stdio channel.

MCP_PACKS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MCP_PACKS_TOOLS="${MCP_PACKS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/mcp-packs/tools}"
MCP_PACKS_NODE_MAJOR=24
MCP_PACKS_MIN_NODE_MAJOR=22

_say() { printf 'mcp-packs: %s\n' "$*" >&2; }

_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

_ensure_node() {
  if command -v node >/dev/null 2>&1 && [ "$(_node_major)" -ge "$MCP_PACKS_MIN_NODE_MAJOR" ]; then return 0; fi
  local os arch dir
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) _say "unsupported OS $(uname -s); install Node >= $MCP_PACKS_MIN_NODE_MAJOR yourself"; return 1 ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) _say "unsupported CPU $(uname -m); install Node >= $MCP_PACKS_MIN_NODE_MAJOR yourself"; return 1 ;; esac
  dir="$MCP_PACKS_TOOLS/node-$os-$arch-$MCP_PACKS_NODE_MAJOR"
  # The fetched Node's npm does not read the system npm's global npmrc: carry over a CA file set there (machines
  # behind a TLS-inspecting proxy), unless the environment already names one.
  if [ -z "${npm_config_cafile:-}" ] && command -v npm >/dev/null 2>&1; then
    local cafile
    cafile="$(npm config get cafile 2>/dev/null || true)"
    case "$cafile" in "" | null | undefined) ;; *) export npm_config_cafile="$cafile" ;; esac
  fi
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { _say "npm is needed to fetch Node $MCP_PACKS_NODE_MAJOR"; return 1; }
    _say "Node >= $MCP_PACKS_MIN_NODE_MAJOR not found; fetching node-$os-$arch@$MCP_PACKS_NODE_MAJOR from the npm registry into $dir"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --loglevel=error --no-update-notifier "node-$os-$arch@$MCP_PACKS_NODE_MAJOR" >/dev/null) || { rm -rf "$tmp"; _say "could not fetch Node"; return 1; }
    mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-*.tgz -C "$tmp/x" || { rm -rf "$tmp"; return 1; }
    mkdir -p "$(dirname "$dir")" && rm -rf "$dir" && mv "$tmp/x/package" "$dir"
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  hash -r
}

_ensure_pnpm() {
  local want
  want="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$MCP_PACKS_ROOT/package.json")"
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$want" ]; then return 0; fi
  local prefix="$MCP_PACKS_TOOLS/pnpm-$want"
  if [ ! -x "$prefix/bin/pnpm" ]; then
    _say "installing pnpm $want with npm into $prefix"
    npm install --global --loglevel=error --no-audit --no-fund --no-update-notifier --prefix "$prefix" "pnpm@$want" >&2 || { _say "could not install pnpm"; return 1; }
  fi
  export PATH="$prefix/bin:$PATH"
  hash -r
}

_ensure_deps() {
  local stamp="$MCP_PACKS_ROOT/node_modules/.mcp-packs-install-stamp" want
  want="$(cat "$MCP_PACKS_ROOT/pnpm-lock.yaml" "$MCP_PACKS_ROOT/pnpm-workspace.yaml" | cksum) node$(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  _say "installing dependencies (pnpm install --frozen-lockfile)"
  (cd "$MCP_PACKS_ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2) || { _say "pnpm install failed"; return 1; }
  printf '%s' "$want" >"$stamp"
}

mcp_packs_bootstrap() {
  _ensure_node && _ensure_pnpm && _ensure_deps
}
