import { fillManifest } from '../../manifest/package';
import { loadConfig } from '../../service/src/config';
import { RETENTION_KINDS } from '../../service/src/domain/retention';
import { Stack } from '../support/stack';

/**
 * The addresses the Teams manifest gives for the privacy notice and the terms of use, against a
 * running API, and the public facts the notice is built from. The API runs as in production with
 * no PRIVACY_CONTACT: the notice must then name no contact rather than a placeholder.
 */
describe('privacy notice and terms of use', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { NODE_ENV: 'production', DEV_SIGN_IN: 'false', OPERATOR_NAME: 'Contoso People Team' } }, { startWorkers: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("the manifest's privacyUrl and termsOfUseUrl, filled for this API, answer 200 with the tab's HTML", async () => {
    const manifest = fillManifest({
      NODE_ENV: 'development',
      TEAMS_APP_ID: '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ENTRA_CLIENT_ID: 'a1b2c3d4-e5f6-4789-9abc-def012345678',
      PUBLIC_URL: stack.env.PUBLIC_URL!,
    });
    const developer = manifest.developer as { privacyUrl: string; termsOfUseUrl: string };
    expect(developer.privacyUrl).toBe(`${stack.env.PUBLIC_URL}/privacy`);
    expect(developer.termsOfUseUrl).toBe(`${stack.env.PUBLIC_URL}/terms`);
    for (const url of [developer.privacyUrl, developer.termsOfUseUrl]) {
      const res = await fetch(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      // The tab renders the page; its script must be there to do so.
      expect(html).toContain('<div id="root">');
      const script = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(new URL(script!, url))).status).toBe(200);
    }
  });

  test('/api/privacy-notice answers without sign-in with the operator, no placeholder contact, and the default retention periods', async () => {
    const res = await stack.request('GET', '/api/privacy-notice');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      operator: 'Contoso People Team',
      contact: null,
      minGroupSizeDefault: 5,
      retention: [
        { kind: 'notifications', label: RETENTION_KINDS.notifications.label, days: 180 },
        { kind: 'feedbackText', label: RETENTION_KINDS.feedbackText.label, days: 365 },
        { kind: 'outcomeValues', label: RETENTION_KINDS.outcomeValues.label, days: 1095 },
        { kind: 'auditEvents', label: RETENTION_KINDS.auditEvents.label, days: 730 },
        { kind: 'practice', label: RETENTION_KINDS.practice.label, days: 365 },
        { kind: 'finishedJobs', label: RETENTION_KINDS.finishedJobs.label, days: 14 },
      ],
    });
    // The notice states the default a new organisation really gets.
    expect(stack.models.Tenant.schema.path('minGroupSize').options.default).toBe(res.json.minGroupSizeDefault);
    expect(stack.api.output).toContain('PRIVACY_CONTACT is not set');
  });

  test('PRIVACY_CONTACT: a placeholder outside production only; an email address or an http(s) URL, nothing else', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).PRIVACY_CONTACT).toBe('privacy@example.com');
    expect(loadConfig({ NODE_ENV: 'production', DEV_SIGN_IN: 'false' }).PRIVACY_CONTACT).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', DEV_SIGN_IN: 'false', PRIVACY_CONTACT: 'dpo@contoso.com' }).PRIVACY_CONTACT).toBe('dpo@contoso.com');
    expect(loadConfig({ PRIVACY_CONTACT: 'https://contoso.com/privacy' }).PRIVACY_CONTACT).toBe('https://contoso.com/privacy');
    for (const bad of ['javascript:alert(1)', 'not an address', 'ftp://contoso.com/privacy']) {
      expect(() => loadConfig({ PRIVACY_CONTACT: bad })).toThrow(/PRIVACY_CONTACT: must be an email address or an http\(s\) URL/);
    }
    expect(loadConfig({}).OPERATOR_NAME).toBe('The organisation that runs this service');
  });
});
