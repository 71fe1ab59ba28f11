import { z } from 'zod';
import { cancelTenantDeletion, requestTenantDeletion, tenantDeletionStatus } from '../../usecases/offboarding';
import { confirmErasure, erasureStatus, exportPerson, requestErasure } from '../../usecases/personal-data';
import type { Caller, Deps } from '../../usecases/deps';
import type { ErasureJobs } from '../../usecases/ports';
import { privacyFacts, retentionSettings, saveRetention } from '../../usecases/retention';
import { audit } from '../../usecases/audit';
import { adminPrivacyResponse, deletionBody, erasureConfirmBody, erasureConfirmResponse, erasureRequest, erasureStatusResponse, privacySettingsResponse, retentionBody, retentionResponse, tenantDeletion } from '../contract/privacy';
import { defineRoute, textIdParam, type RouteDef } from '../route';
import type { Request, Response } from 'express';

export interface PrivacyContext {
  /** Where confirmed erasures are queued; absent where nothing can queue them (the privacy sweep still runs them). */
  erasures: ErasureJobs | null;
  /** How long a requested deletion of the organisation waits. */
  deletionWaitMs: number;
}

const userIdParam = z.object({ userId: textIdParam });

/** Sends a person's archive, audited as asked for by themselves or by an admin. */
async function sendArchive(deps: Deps, caller: Caller, userId: string, by: 'self' | 'admin', req: Request, res: Response): Promise<void> {
  const archive = await exportPerson(deps, caller.tenantId, userId);
  await audit(deps, caller, 'person.exported', `user:${userId}`, { by }, req.id);
  res.status(200).type('application/zip').attachment(archive.fileName).send(Buffer.from(archive.zip));
}

/** A person's data (export, erasure), the organisation's retention periods and its deletion. */
export function privacyRoutes(ctx: PrivacyContext): RouteDef[] {
  const noQueue: ErasureJobs = { erase: async () => { throw new Error('no queue here'); } };
  return [
    defineRoute({
      id: 'me.export',
      method: 'get',
      path: '/api/me/export',
      summary: 'Download my data: every record about me, as a zip of JSON and CSV',
      tags: ['privacy'],
      responses: { 200: { description: 'application/zip' } },
      handler: ({ deps, caller, res, req }) => sendArchive(deps, caller, caller.userId, 'self', req, res),
    }),
    defineRoute({
      id: 'privacy.settings',
      method: 'get',
      path: '/api/privacy/settings',
      summary: "My organisation's retention periods and minimum group size, for the privacy notice",
      tags: ['privacy'],
      responses: { 200: { description: 'Settings', schema: privacySettingsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: await privacyFacts(deps, caller.tenantId) }),
    }),
    defineRoute({
      id: 'admin.people.export',
      method: 'get',
      path: '/api/admin/people/:userId/export',
      summary: "Export a person's data on their request (audited)",
      tags: ['admin', 'privacy'],
      params: userIdParam,
      responses: { 200: { description: 'application/zip' } },
      handler: ({ deps, caller, params, res, req }) => sendArchive(deps, caller, params.userId, 'admin', req, res),
    }),
    defineRoute({
      id: 'admin.people.erasure',
      method: 'post',
      path: '/api/admin/people/:userId/erasure',
      summary: 'Ask to erase a person: shows what would be erased; nothing is erased until confirmed',
      tags: ['admin', 'privacy'],
      params: userIdParam,
      responses: {
        201: {
          description: 'The request, to be confirmed before it lapses',
          schema: erasureRequest,
        },
      },
      handler: async ({ deps, caller, params, req }) => ({ status: 201, body: await requestErasure(deps, caller, params.userId, req.id) }),
    }),
    defineRoute({
      id: 'admin.erasures.confirm',
      method: 'post',
      path: '/api/admin/erasures/:erasureId/confirm',
      summary: "Confirm an erasure by typing the person's name or email; it then runs in the background",
      tags: ['admin', 'privacy'],
      params: z.object({ erasureId: textIdParam }),
      body: erasureConfirmBody,
      responses: { 202: { description: 'Confirmed and queued', schema: erasureConfirmResponse } },
      handler: async ({ deps, caller, params, body, req }) => ({ status: 202, body: await confirmErasure(deps, ctx.erasures ?? noQueue, caller, params.erasureId, body.confirmation, req.id) }),
    }),
    defineRoute({
      id: 'admin.erasures.get',
      method: 'get',
      path: '/api/admin/erasures/:erasureId',
      summary: 'Where an erasure stands',
      tags: ['admin', 'privacy'],
      params: z.object({ erasureId: textIdParam }),
      responses: { 200: { description: 'The erasure', schema: erasureStatusResponse } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: await erasureStatus(deps, caller.tenantId, params.erasureId) }),
    }),
    defineRoute({
      id: 'admin.privacy.get',
      method: 'get',
      path: '/api/admin/privacy',
      summary: "The organisation's retention periods, the last purge, and any deletion of its data",
      tags: ['admin', 'privacy'],
      responses: { 200: { description: 'Privacy settings', schema: adminPrivacyResponse } },
      handler: async ({ deps, caller }) => ({
        status: 200,
        body: { ...(await retentionSettings(deps, caller.tenantId)), deletion: await tenantDeletionStatus(deps, caller.tenantId), deletionWaitDays: ctx.deletionWaitMs / 86_400_000 },
      }),
    }),
    defineRoute({
      id: 'admin.privacy.retention',
      method: 'put',
      path: '/api/admin/privacy/retention',
      summary: 'Change how long kinds of data are kept, in days (audited)',
      tags: ['admin', 'privacy'],
      body: retentionBody,
      responses: { 200: { description: 'Saved', schema: retentionResponse } },
      handler: async ({ deps, caller, body, req }) => ({ status: 200, body: await saveRetention(deps, caller, body, req.id) }),
    }),
    defineRoute({
      id: 'admin.privacy.deletion.request',
      method: 'post',
      path: '/api/admin/privacy/deletion',
      summary: "Ask for all of the organisation's data to be deleted after a waiting period (type its name to confirm; audited)",
      tags: ['admin', 'privacy'],
      body: deletionBody,
      responses: { 202: { description: 'Scheduled', schema: tenantDeletion } },
      handler: async ({ deps, caller, body, req }) => ({ status: 202, body: await requestTenantDeletion(deps, caller, body.confirmation, ctx.deletionWaitMs, req.id) }),
    }),
    defineRoute({
      id: 'admin.privacy.deletion.cancel',
      method: 'delete',
      path: '/api/admin/privacy/deletion',
      summary: 'Cancel a scheduled deletion of the organisation’s data (audited)',
      tags: ['admin', 'privacy'],
      responses: { 200: { description: 'Cancelled', schema: tenantDeletion } },
      handler: async ({ deps, caller, req }) => ({ status: 200, body: await cancelTenantDeletion(deps, caller, req.id) }),
    }),
  ];
}
