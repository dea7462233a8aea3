// Architecture rules, checked in CI by `pnpm run check:deps`.
// Dependencies point one way: schemas <- core <- plugins and transports. Plugins never import a transport or each
// other; a transport never reaches into a provider. Workspace imports (`@bifrost/core`) resolve to source through
// the `bifrost-source` export condition, so a rule sees the real file on the other side.

const SOURCE = '^(packages|transports|plugins)/[^/]+/src/';
// Test files and in-package `testing/` helpers may wire packages together in ways production code must not.
// Only the layering rules exempt them; cycles and reaching into provider internals count everywhere.
const TESTS = ['\\.test\\.ts$', '/testing/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and tangle modules that should stand alone.',
      from: { path: SOURCE },
      to: { circular: true },
    },
    {
      name: 'schemas-imports-no-workspace-package',
      severity: 'error',
      comment:
        '@bifrost/schemas holds only schemas and types; everything else depends on it, never the reverse.',
      from: { path: '^packages/schemas/src/', pathNot: TESTS },
      to: { path: ['^(packages|transports|plugins)/', '^@bifrost/'], pathNot: '^packages/schemas/' },
    },
    {
      name: 'core-imports-only-schemas',
      severity: 'error',
      comment: '@bifrost/core knows plugins only through the plugin interface (loaded by name at run time).',
      from: { path: '^packages/core/src/', pathNot: TESTS },
      to: {
        path: ['^(packages|transports|plugins)/', '^@bifrost/'],
        pathNot: ['^packages/(core|schemas)/', '^@bifrost/schemas$'],
      },
    },
    {
      name: 'store-imports-only-schemas',
      severity: 'error',
      comment: '@bifrost/store holds state for plugins and transports; it knows neither them nor the engine.',
      from: { path: '^packages/store/src/', pathNot: TESTS },
      to: {
        path: ['^(packages|transports|plugins)/', '^@bifrost/'],
        pathNot: ['^packages/(store|schemas)/', '^@bifrost/schemas$'],
      },
    },
    {
      name: 'plugin-imports-no-transport',
      severity: 'error',
      comment: 'A plugin works under every transport, so it cannot depend on one.',
      from: { path: '^plugins/', pathNot: TESTS },
      to: { path: '^transports/' },
    },
    {
      name: 'plugin-imports-no-other-plugin',
      severity: 'error',
      comment: 'Plugins are independent; shared code belongs in core or schemas.',
      from: { path: '^plugins/([^/]+)/', pathNot: TESTS },
      to: { path: '^plugins/', pathNot: '^plugins/$1/' },
    },
    {
      name: 'transport-imports-no-plugin',
      severity: 'error',
      comment:
        'Transports load plugins by name through core, so any plugin can be swapped in by configuration.',
      from: { path: '^transports/', pathNot: TESTS },
      to: { path: '^plugins/' },
    },
    {
      name: 'no-relative-import-across-packages',
      severity: 'error',
      comment:
        'Import another package by its name (`@bifrost/core`), never by a relative path into its src/.',
      from: { path: '^((packages|transports|plugins)/[^/]+)/', pathNot: TESTS },
      to: { dependencyTypes: ['local'], pathNot: '^$1/' },
    },
    {
      name: 'transport-imports-no-provider-internals',
      severity: 'error',
      comment: "A transport goes through @bifrost/core's index, never into packages/core/src/providers/**.",
      from: { path: '^transports/' },
      to: { path: '^packages/core/src/providers/' },
    },
    {
      name: 'no-unresolvable-import',
      severity: 'error',
      comment:
        'An import that does not resolve is usually a workspace package missing from package.json; the layering ' +
        'rules above can only judge imports they can follow.',
      from: { path: SOURCE },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // `^@bifrost/` keeps a workspace import that fails to resolve in the graph, so no-unresolvable-import sees it.
    includeOnly: [SOURCE, '^@bifrost/'],
    exclude: { path: '(^|/)(node_modules|dist)/' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a transport importing a provider's wire types is as coupled as one calling it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      conditionNames: ['bifrost-source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
