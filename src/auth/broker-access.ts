// Who may do what on the embedded broker. LAN clients never publish into the gateway's
// own tree (lpr/#) or $-topics, so nobody can spoof a detection; optional users (scrypt
// hashes in the config) with per-user subscribe patterns; anonymous clients may
// subscribe (read-only) unless allowAnonymous is false.

export interface BrokerUser {
  username: string;
  /** "scrypt$<salt b64>$<hash b64>" as printed by hashPassword(). */
  passwordHash: string;
  /** Topic filters this user may subscribe to; default ["lpr/#"]. */
  subscribe: string[];
  /** Topic filters this user may publish to (never lpr/# or $-topics). */
  publish: string[];
}

/** MQTT topic filter matching (+ and # wildcards). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** A subscription filter is allowed when some allowed pattern covers every topic it can match. */
export function filterCovered(allowed: string, requested: string): boolean {
  const a = allowed.split('/');
  const r = requested.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return true;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (a[i] !== '+' && (r[i] === '+' || a[i] !== r[i])) return false;
  }
  return a.length === r.length;
}

export function isReservedTopic(topic: string, root: string): boolean {
  return topic.startsWith('$') || topic === root || topic.startsWith(`${root}/`);
}
