// Field rules for detection and health messages, tolerant of what deployed cameras really
// send (README.md, "What a camera sees": deployed-camera quirks): lists and details as JSON text, null
// details, counts as numeric strings, PASS/FAIL/WARNING health. Unknown fields are kept
// by the caller (raw), never rejected here.
import { z } from 'zod';
import { gatewayError, type FieldProblem } from '../errors.js';
import type { HealthLevel } from '../log/record.js';

/** A JSON text of the expected shape is parsed; anything else is left for the schema to reject. */
const fromJsonText = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t === '') return null;
  if (!t.startsWith('[') && !t.startsWith('{')) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
};

const count = z.preprocess(
  (v) => (typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v) : v),
  z.number({ error: 'expected a whole number' }).int('expected a whole number').nonnegative().max(1e6),
);

const jsonList = z
  .preprocess(fromJsonText, z.array(z.unknown(), { error: 'expected a list (or JSON text of a list)' }).nullish())
  .transform((v) => v ?? []);

const optionalNumber = z
  .preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v),
    z.number({ error: 'expected a number' }).finite().nullish(),
  )
  .transform((v) => v ?? null);

const optionalText = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected text' })
  .nullish()
  .transform((v) => (v === undefined || v === null ? null : String(v)));

export const detectionFields = z.object({
  vehicles_count: count,
  plates_count: count,
  ocr_results: jsonList,
  vehicle_detections: jsonList,
  plate_detections: jsonList,
  processing_time_ms: optionalNumber,
});

const details = z
  .preprocess(fromJsonText, z.record(z.string(), z.unknown(), { error: 'expected an object (or JSON text of one)' }).nullish())
  .transform((v) => v ?? null);

export const healthFields = z.object({
  component: optionalText,
  status: z.union([z.string().trim().min(1, 'must not be empty'), z.number()], { error: 'expected text' }).transform(String),
  message: optionalText,
  details,
});

const LEVELS: Record<string, HealthLevel> = {
  healthy: 'healthy', pass: 'healthy', ok: 'healthy', passed: 'healthy',
  warning: 'warning', warn: 'warning',
  error: 'error', fail: 'error', failed: 'error', critical: 'error',
};

/** Maps both vocabularies (healthy/warning/error and PASS/WARNING/FAIL) to one level. */
export function healthLevel(status: string): HealthLevel {
  return LEVELS[status.trim().toLowerCase()] ?? 'unknown';
}

/** Plate texts from ocr_results, whose elements are plain strings or OCR objects. */
export function plateTexts(ocr: unknown[]): string[] {
  const texts: string[] = [];
  for (const item of ocr) {
    if (typeof item === 'string') texts.push(item);
    else if (item && typeof item === 'object' && typeof (item as { text?: unknown }).text === 'string') {
      texts.push((item as { text: string }).text);
    }
  }
  return texts;
}

/** Validates `body` against `schema`; the first problem names the field, all are listed. */
export function checkFields<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: FieldProblem[] = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = fields[0]!;
  throw gatewayError('FIELD_INVALID', first.path, first.message, { fields });
}
