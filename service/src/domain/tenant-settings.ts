import { z } from 'zod';
import { MIN_GROUP_SIZE_FLOOR } from './impact';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

/** What a tenant admin sets for the organisation; quiet hours and weekend null mean the service's defaults. */
export const tenantSettingsSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    minGroupSize: z.number().int().min(MIN_GROUP_SIZE_FLOOR).max(50),
    quietHours: z.strictObject({ start: clock, end: clock }).refine((q) => q.start !== q.end, 'quiet hours must start and end at different times').nullable(),
    weekendDays: z
      .array(z.number().int().min(1).max(7))
      .max(6, 'at least one day must be a working day')
      .refine((d) => new Set(d).size === d.length, 'each day at most once')
      .nullable(),
  });
export type TenantSettings = z.output<typeof tenantSettingsSchema>;
