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

/**
 * The org units and job levels a programme chooses people by that no active person has now (a
 * change of attribute mapping or source, say, or a reorganisation), from the values people have
 * (`present`). Empty lists when all are found.
 */
export function unmatchedValues(rule: Pick<Eligibility, 'orgUnits' | 'jobLevels'>, present: { orgUnits: ReadonlySet<string>; jobLevels: ReadonlySet<string> }): { orgUnits: string[]; jobLevels: string[] } {
  return { orgUnits: rule.orgUnits.filter((v) => !present.orgUnits.has(v)), jobLevels: rule.jobLevels.filter((v) => !present.jobLevels.has(v)) };
}
