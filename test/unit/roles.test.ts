import { becomesManager, heldRoles, rolesFromClaim, sameRoles } from '../../service/src/domain/roles';

describe('the roles a person holds', () => {
  test('Entra app roles from the last sign-in win over the in-app directory', () => {
    expect(heldRoles({ appRoles: ['sponsor'], roles: ['owner', 'coach'] })).toEqual(['sponsor']);
    // A sign-in whose token carried app roles, none of them ours: no role at all, not the directory's.
    expect(heldRoles({ appRoles: [], roles: ['owner'] })).toEqual([]);
  });
  test('with no app roles (never signed in, or the last token carried none) the in-app directory applies', () => {
    expect(heldRoles({ appRoles: null, roles: ['owner', 'coach'] })).toEqual(['owner', 'coach']);
    expect(heldRoles({ roles: ['owner', 'not-a-role'] })).toEqual(['owner']);
    expect(heldRoles({})).toEqual([]);
  });
  test('a line manager by the directory is a manager whatever Entra assigns; an assigned manager is not kept by the directory', () => {
    expect(heldRoles({ appRoles: ['owner'], roles: ['manager'], managerByDirectory: true })).toEqual(['owner', 'manager']);
    expect(heldRoles({ appRoles: ['owner'], roles: ['manager'], managerByDirectory: false })).toEqual(['owner']);
    // Given the role by an admin before the first sync, then found to have reports: a line manager too.
    expect(heldRoles({ appRoles: ['owner'], roles: ['manager'], managerByDirectory: false, directReports: 2 })).toEqual(['owner', 'manager']);
  });
  test('the token claim: known values mapped, unknown ones ignored, no claim is no app roles', () => {
    expect(rolesFromClaim(['Coaching.Sponsor', 'Other.Role', 'Coaching.Sponsor'])).toEqual(['sponsor']);
    expect(rolesFromClaim(undefined)).toBeUndefined();
  });
  test('app roles alike in any order; none recorded differs from an empty set', () => {
    expect(sameRoles(['sponsor', 'owner'], ['owner', 'sponsor'])).toBe(true);
    expect(sameRoles(null, null)).toBe(true);
    expect(sameRoles(null, [])).toBe(false);
    expect(sameRoles(['owner'], ['owner', 'sponsor'])).toBe(false);
    expect(sameRoles(['owner', 'owner'], ['owner', 'sponsor'])).toBe(false);
  });
});

describe('becomesManager', () => {
  it('is true only when the new app roles make someone a manager who was not one', () => {
    expect(becomesManager({ roles: [], appRoles: null }, ['manager'])).toBe(true);
    expect(becomesManager({ roles: ['manager'], appRoles: ['owner'] }, null)).toBe(true); // back to the in-app roles
    expect(becomesManager({ roles: ['manager'], appRoles: null }, ['manager'])).toBe(false); // one already
    expect(becomesManager({ roles: ['manager'], appRoles: ['owner'], managerByDirectory: true }, ['manager'])).toBe(false); // a line manager already
    expect(becomesManager({ roles: [], appRoles: null }, ['owner'])).toBe(false);
    expect(becomesManager({ roles: [], appRoles: ['manager'] }, null)).toBe(false);
  });
});
