// The plate texts a detection carries: its OCR results (strings, or the deployed camera's
// objects with `text`, already parsed from JSON text at ingest) and plate_detections[].text.
import type { DetectionData } from '../log/record.js';

export function plateReadings(d: DetectionData): string[] {
  const out = new Set<string>(d.plates);
  for (const p of d.plate_detections) {
    const text = p && typeof p === 'object' ? (p as { text?: unknown }).text : undefined;
    if (typeof text === 'string' && text.trim() !== '') out.add(text);
  }
  return [...out];
}
