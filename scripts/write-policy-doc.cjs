// Regenerates docs/authorization.md from the policy table (run after `npm run build:server`).
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { loadConfig } = require('../dist/service/src/config');
const { DevSignIn, TokenVerifier } = require('../dist/service/src/http/auth');
const { allRoutes } = require('../dist/service/src/http/app');
const { policyMarkdown } = require('../dist/service/src/http/policy-doc');

(async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const dev = await DevSignIn.create(config);
  const routes = allRoutes({ config, deps: {}, verifier: new TokenVerifier(config, dev), dev, readiness: async () => ({}), ops: {} });
  writeFileSync(path.resolve(__dirname, '../docs/authorization.md'), policyMarkdown(routes));
  console.log('wrote docs/authorization.md');
})();
