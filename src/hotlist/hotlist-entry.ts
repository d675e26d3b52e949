// A hotlist entry as people and the cloud write it, checked field by field. The same rules
// serve the admin API, the CSV import and the cloud's retained messages.
import { z } from 'zod';
import { checkFields } from '../kinds/message-schemas.js';
import { gatewayError } from '../errors.js';
import { isPlateKey, normalisePlate } from '../plates/plate-text.js';

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Who put an entry there: an operator on this gateway, the cloud for this gateway, the cloud for the fleet. */
export type EntrySource = 'local' | 'cloud' | 'fleet';

export interface HotlistEntry {
  /** The plate as written, and its normalised form (what matching compares). */
  plate: string;
  key: string;
  reason: string;
  level: AlertLevel;
  /** ISO 8601 UTC; the entry stops matching from then on. */
  expires_at: string | null;
  /** Allow one character off (an OCR misread). */
  fuzzy: boolean;
  note: string | null;
  source: EntrySource;
  created_at: string;
  updated_at: string;
}

const flag = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  if (['', '0', 'false', 'no', 'n'].includes(t)) return false;
  if (['1', 'true', 'yes', 'y'].includes(t)) return true;
  return v;
}, z.boolean({ error: 'expected true or false' }));

const blankIsNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

const fields = z.object({
  reason: z.string({ error: 'expected text' }).trim().min(1, 'must not be empty').max(500),
  level: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.enum(ALERT_LEVELS, { error: `expected one of ${ALERT_LEVELS.join(', ')}` }).default('warning')),
  expires_at: z.preprocess(blankIsNull, z.string({ error: 'expected an ISO 8601 time' })
    .refine((s) => /(Z|[+-]\d\d:?\d\d)$/i.test(s.trim()) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time with a zone, e.g. 2026-12-31T23:59:59+07:00')
    .transform((s) => new Date(Date.parse(s)).toISOString())
    .nullish()).transform((v) => v ?? null),
  fuzzy: flag.optional().default(false),
  note: z.preprocess(blankIsNull, z.string({ error: 'expected text' }).max(2000).nullish()).transform((v) => v ?? null),
});

export type EntryFields = z.infer<typeof fields>;

/** The normalised key of a plate someone wrote, or a VALIDATION_FAILED naming it. */
export function plateKey(plate: string): string {
  const key = normalisePlate(plate);
  if (!isPlateKey(key)) {
    throw gatewayError('NOT_A_PLATE', plate);
  }
  return key;
}

/** Checks an entry's fields (from JSON, a CSV row or a cloud message). */
export function entryFields(body: unknown): EntryFields {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw gatewayError('HOTLIST_ENTRY_SHAPE');
  return checkFields(fields, body);
}
