/**
 * Tissu's architecture, checked in `pnpm check` (README, "Architecture"). Arrows point one way:
 *   web -> shared;  server -> db -> shared;  shared imports nothing of ours.
 * Inside the server: app.ts registers each module's routes; routes -> flows -> a module's
 * index.ts -> that module's own files. A module's repository and other files are private to it:
 * another module, a flow or a plugin reaches it only through its index.ts. Flows are used by
 * routes and the job worker, never by a module's service. lib/ and the server-wide helpers
 * (actor, errors, idempotency) sit below every module. No import cycles anywhere.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle means two parts that cannot be understood (or changed) apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-imports-nothing-of-ours',
      severity: 'error',
      comment: 'shared/ is the contract and pure domain code used by server and web alike.',
      from: { path: '^shared/' },
      to: { path: '^(db|server|web)/' },
    },
    {
      name: 'db-only-shared',
      severity: 'error',
      comment: 'db/ is the schema and its migrations; it may read shared constants, nothing above it.',
      from: { path: '^db/' },
      to: { path: '^(server|web)/' },
    },
    {
      name: 'server-not-web',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^web/' },
    },
    {
      name: 'web-only-shared',
      severity: 'error',
      comment: 'The web talks to the server over HTTP (its generated client), never by importing it or the database.',
      from: { path: '^web/' },
      to: { path: '^(server|db)/' },
    },
    {
      name: 'module-through-its-index',
      severity: 'error',
      comment: "A module reaches another only through that module's index.ts: its repository and internals are its own.",
      from: { path: '^server/src/modules/([^/]+)/' },
      to: { path: '^server/src/modules/[^/]+/', pathNot: ['^server/src/modules/$1/', '^server/src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-through-the-index',
      severity: 'error',
      comment: "Flows, plugins and helpers use a module through its index.ts (app.ts alone registers the modules' routes).",
      from: { path: '^server/src/', pathNot: ['^server/src/modules/', '^server/src/app\\.ts$'] },
      to: { path: '^server/src/modules/', pathNot: '^server/src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'app-registers-routes',
      severity: 'error',
      from: { path: '^server/src/app\\.ts$' },
      to: { path: '^server/src/modules/', pathNot: '^server/src/modules/[^/]+/(index|routes|[a-z-]+-route)\\.ts$' },
    },
    {
      name: 'flows-not-from-modules',
      severity: 'error',
      comment: "Flows sit above the modules: a module's routes may call one, its services and repository never do.",
      from: { path: '^server/src/modules/', pathNot: '/(routes|[a-z-]+-route)\\.ts$' },
      to: { path: '^server/src/flows/' },
    },
    {
      name: 'index-does-not-export-routes',
      severity: 'error',
      comment: "A module's index.ts is what services and flows use; routes sit above the flows and are registered by app.ts.",
      from: { path: '^server/src/modules/[^/]+/index\\.ts$' },
      to: { path: '/(routes|[a-z-]+-route)\\.ts$' },
    },
    {
      name: 'helpers-below-modules',
      severity: 'error',
      comment: 'lib/ and the server-wide helpers are used by every module, so they import none of them.',
      from: { path: '^server/src/(lib/|(actor|errors|idempotency)\\.ts$)' },
      to: { path: '^server/src/(modules|flows|plugins)/' },
    },
  ],
  options: {
    includeOnly: '^(shared|db|server|web)/',
    // Generated code (Paraglide's 1,400 message files) is not ours to arrange.
    exclude: { path: ['(^|/)(node_modules|\\.svelte-kit|build|dist)/', '^web/src/lib/paraglide/'] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.svelte', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
