/** Who a programme is for: named people, whole org units, or job levels (any match counts). */
export interface Eligibility {
  userIds: readonly string[];
  orgUnits: readonly string[];
  jobLevels: readonly string[];
}

export interface Person {
  userId: string;
  orgUnit?: string | null;
  jobLevel?: string | null;
}

export function isEligible(rule: Eligibility, person: Person): boolean {
  return (
    rule.userIds.includes(person.userId) ||
    (!!person.orgUnit && rule.orgUnits.includes(person.orgUnit)) ||
    (!!person.jobLevel && rule.jobLevels.includes(person.jobLevel))
  );
}

/** The same rule as a MongoDB filter over users, for bulk queries (invitations, listings). */
export function eligibilityFilterForPerson(person: Person): Record<string, unknown> {
  const or: Record<string, unknown>[] = [{ 'eligibility.userIds': person.userId }];
  if (person.orgUnit) or.push({ 'eligibility.orgUnits': person.orgUnit });
  if (person.jobLevel) or.push({ 'eligibility.jobLevels': person.jobLevel });
  return { $or: or };
}
