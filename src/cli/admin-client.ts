// How the CLI talks to a running gateway's admin API: the admin token from --token or
// LPRGW_ADMIN_TOKEN, the JSON answer, and an unreachable gateway as a plain message.
export interface AdminFlags {
  url: string;
  token?: string;
}

export interface AdminAnswer {
  ok: boolean;
  status: number;
  body: any;
}

export async function adminCall(f: AdminFlags, method: string, path: string, body?: { type: string; text: string }): Promise<AdminAnswer> {
  const token = f.token ?? process.env.LPRGW_ADMIN_TOKEN ?? '';
  try {
    const res = await fetch(`${f.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': body.type } : {}) }, body: body?.text,
    });
    return { ok: res.ok, status: res.status, body: await res.json().catch(() => ({})) };
  } catch (err) {
    return { ok: false, status: 0, body: { message: `cannot reach ${f.url}: ${(err as Error).message}` } };
  }
}

/** Prints the refusal (with the first field problems) and gives the exit code. */
export function refusal(r: AdminAnswer): number {
  process.stderr.write(`lpr-gateway: ${r.body.message ?? `HTTP ${r.status}`}\n`);
  for (const f of (r.body.error?.fields ?? []).slice(0, 10)) process.stderr.write(`  ${f.path}: ${f.message}\n`);
  return 1;
}
