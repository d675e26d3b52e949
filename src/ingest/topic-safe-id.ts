// Ids become MQTT topic levels and parts of file names, so they are checked here, once.
// Rule (README.md, "MQTT": ids become topic levels): 1..64 characters, no '/', '+', '#', NUL or other control chars.

const FORBIDDEN = /[/+#\u0000-\u001f\u007f-\u009f]/;

/** Returns why `id` is not usable as a topic level, or undefined when it is fine. */
export function topicIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  if (id.length > 64) return 'must be at most 64 characters';
  if (id.trim() !== id) return 'must not start or end with white space';
  if (FORBIDDEN.test(id)) return "must not contain '/', '+', '#' or control characters";
  return undefined;
}
