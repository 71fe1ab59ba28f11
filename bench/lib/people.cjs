// The users collection as the product stores it, for the scripts that time FerretDB itself
// (ferretdb-gin.cjs, stand-in-workarounds.cjs): its indexes and a generated person.
'use strict';

// The users collection's indexes, as the product declares them (userSchema.index, from the build: npm run build:server).
const USER_INDEXES = (() => {
  const mongoose = require('mongoose');
  const { bindModels } = require('../../dist/service/src/data/models');
  return bindModels(mongoose.createConnection(), { tenantGuard: false }).User.schema.indexes();
})();

/** A user document shaped like the product's (about 0.5 kB of BSON). */
function person(tenantId, userId, i) {
  const now = new Date();
  return {
    tenantId,
    userId,
    name: `Person ${i}`,
    email: `person.${i}@contoso.example`,
    upn: `person.${i}@contoso.example`,
    roles: ['member'],
    orgUnit: `Unit ${i % 40}`,
    jobLevel: `L${i % 7}`,
    lineManagerId: null,
    timeZone: null,
    workingHours: null,
    directReports: 0,
    managerByDirectory: false,
    departedAt: null,
    nameKey: `person ${i}`,
    searchKeys: ['person', String(i), `person.${i}@contoso.example`],
    demo: false,
    createdAt: now,
    updatedAt: now,
  };
}

const BIG = 'tenant-big';
/** 95% of the people belong to one tenant, the rest to 50 small ones. */
const tenantOf = (i) => (i % 20 === 0 ? `tenant-${i % 50}` : BIG);

module.exports = { USER_INDEXES, person, BIG, tenantOf };
