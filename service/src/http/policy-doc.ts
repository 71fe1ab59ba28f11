import { ROLES } from '../domain/roles';
import { POLICY } from './policy';
import type { RouteDef } from './route';

/** The route × role table for docs/authorization.md, generated from the policy so it cannot drift. */
export function policyMarkdown(routes: readonly RouteDef[]): string {
  const header = `| route | ${ROLES.join(' | ')} |\n|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = [...routes]
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
    .map((r) => {
      const access = POLICY[r.id];
      const cells = ROLES.map((role) => (access === 'public' ? 'public' : access === 'signed-in' || (access as readonly string[]).includes(role) ? 'yes' : '—'));
      return `| \`${r.method.toUpperCase()} ${r.path}\` | ${cells.join(' | ')} |`;
    });
  return [
    '# Who may call what',
    '',
    'Generated from `service/src/http/policy.ts` (the one authorisation policy every route uses);',
    '`test/integration/authorization.test.ts` fails when this file is out of date, and walks every',
    'route × role against a running API. "public" needs no sign-in; "yes" means the role may call it;',
    '"—" gets 403. Every route is also scoped to the caller\'s tenant: ids from another tenant are 404.',
    '',
    header,
    ...rows,
    '',
  ].join('\n');
}
