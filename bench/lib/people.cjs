// The users collection as the product stores it, for the scripts that time FerretDB itself
// (ferretdb-gin.cjs, stand-in-workarounds.cjs): its indexes and a generated person.
'use strict';

// The users collection's indexes (service/src/data/models.ts, userSchema.index).
const USER_INDEXES = [
  [{ tenantId: 1, userId: 1 }, { unique: true }],
  [{ tenantId: 1, lineManagerId: 1 }, {}],
  [{ tenantId: 1, nameKey: 1, userId: 1 }, {}],
  [{ tenantId: 1, searchKeys: 1 }, {}],
  [{ tenantId: 1, upn: 1 }, {}],
  [{ tenantId: 1, email: 1 }, {}],
];

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
