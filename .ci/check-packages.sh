#!/usr/bin/env bash
# Packs every published package and installs the tarballs into an empty folder, as a user would from npm,
# then imports each and runs the binary's --help.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/packs" "$work/app"
for package in packages/schemas packages/store packages/core transports/http transports/grpc plugins/governance plugins/prometheus plugins/maxim plugins/mcp; do
  (cd "$package" && npx -y pnpm@10.34.8 pack --pack-destination "$work/packs" >/dev/null)
done
ls "$work/packs"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$work"/packs/*.tgz
node --input-type=module -e "
  const schemas = await import('@bifrost/schemas');
  const core = await import('@bifrost/core');
  const http = await import('@bifrost/http');
  const grpc = await import('@bifrost/grpc');
  if (typeof core.Bifrost?.init !== 'function') throw new Error('@bifrost/core has no Bifrost.init');
  if (typeof http.createHttpApp !== 'function') throw new Error('@bifrost/http has no createHttpApp');
  if (typeof grpc.createGrpcServer !== 'function') throw new Error('@bifrost/grpc has no createGrpcServer');
  // Loads proto/bifrost/v1/bifrost.proto from the installed package: proves the proto ships in the tarball.
  if (!grpc.loadBifrostProto()['bifrost.v1.Bifrost']) throw new Error('@bifrost/grpc cannot load its proto');
  if (!schemas.providerNames.includes('openai')) throw new Error('@bifrost/schemas has no providerNames');
  // Importing the store loads PGlite and pg but opens nothing; its testing entry must resolve too.
  const store = await import('@bifrost/store');
  if (typeof store.openStore !== 'function') throw new Error('@bifrost/store has no openStore');
  const storeTesting = await import('@bifrost/store/testing');
  if (typeof storeTesting.startPostgresServer !== 'function') throw new Error('@bifrost/store/testing has no startPostgresServer');
  // Importing the governance plugin connects to nothing: its factory opens counters and timers only when called.
  const governance = await import('@bifrost/plugin-governance');
  if (typeof governance.default !== 'function') throw new Error('@bifrost/plugin-governance has no default export factory');
  // Importing must work from a plain npm install (its SDK needs uuid, which it does not declare) and must not
  // reach the network: the SDK talks to Maxim only once a plugin is created.
  const maxim = await import('@bifrost/plugin-maxim');
  if (typeof maxim.default !== 'function') throw new Error('@bifrost/plugin-maxim has no default export factory');
  const prometheus = await import('@bifrost/plugin-prometheus');
  if (typeof prometheus.default !== 'function' || prometheus.default !== prometheus.prometheusPlugin)
    throw new Error('@bifrost/plugin-prometheus has no default export factory');
  if (prometheus.default({}, { prometheusLabels: ['team'] }).name !== 'prometheus')
    throw new Error('@bifrost/plugin-prometheus factory did not return the plugin');
  // The MCP plugin with no servers connects to nothing; its factory is async, as servers connect at start-up.
  const mcp = await import('@bifrost/plugin-mcp');
  if (typeof mcp.default !== 'function' || mcp.default !== mcp.mcpPlugin)
    throw new Error('@bifrost/plugin-mcp has no default export factory');
  if ((await mcp.default({})).name !== 'mcp') throw new Error('@bifrost/plugin-mcp factory did not return the plugin');
  console.log('packages import from their tarballs');
"
npx --no-install bifrost-http --help | head -n 1
npx --no-install bifrost-grpc --help | head -n 1
test -f node_modules/@bifrost/schemas/config.schema.json
# The embedded store's first start unpacks this cluster instead of running initdb.
test -f node_modules/@bifrost/store/dist/pglite-template.tar.gz
echo "packages install and import: ok"
cd "$root"
