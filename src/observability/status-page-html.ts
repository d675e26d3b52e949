// The live status page served at "/": one self-contained HTML document (no build step for
// the operator), updated over the read-only Socket.IO namespace /status. Text is set with
// textContent only, so nothing a camera sends can inject markup.
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LPR gateway</title>
<style>
  :root { font-family: system-ui, "Noto Sans Thai", "Loma", sans-serif; color: #1d2433; background: #f3f5f8; }
  body { margin: 0; padding: 12px; }
  header { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; margin-bottom: 12px; }
  h1 { font-size: 1.2rem; margin: 0; }
  .pill { padding: 2px 10px; border-radius: 999px; font-size: .85rem; background: #dde3ea; }
  .online { background: #c9f2d0; color: #125c22; } .offline { background: #f8d2d2; color: #7d1414; }
  .unknown { background: #e6e6e6; }
  #cameras { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
  .cam { background: white; border-radius: 10px; padding: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  .cam h2 { font-size: 1rem; margin: 0 0 6px; display: flex; justify-content: space-between; }
  .plates { font-size: 1.4rem; font-weight: 600; letter-spacing: .04em; min-height: 1.8rem; }
  .cam img { width: 100%; max-height: 140px; object-fit: contain; background: #222; border-radius: 6px; }
  .meta { font-size: .8rem; color: #5a6475; }
  section { margin-top: 16px; background: white; border-radius: 10px; padding: 12px; }
  table { width: 100%; border-collapse: collapse; font-size: .8rem; } td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; }
</style>
</head>
<body>
<header>
  <h1>LPR gateway <span id="gateway"></span></h1>
  <span>uplink <span id="uplink" class="pill">…</span></span>
  <span id="backlog" class="meta"></span>
  <span id="uplink-detail" class="meta"></span>
  <span id="updated" class="meta"></span>
</header>
<div id="cameras"></div>
<section><strong>Recent rejections</strong><table><tbody id="rejections"></tbody></table></section>
<script src="/socket.io/socket.io.js"></script>
<script>
  const el = (tag, attrs = {}, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const ago = (iso) => { if (!iso) return 'never'; const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)); return s < 60 ? s + ' s ago' : Math.round(s / 60) + ' min ago'; };
  function render(s) {
    document.getElementById('gateway').textContent = s.gateway_id || '';
    const up = document.getElementById('uplink');
    up.textContent = s.uplink ? s.uplink.state : 'disabled';
    up.className = 'pill ' + (s.uplink && s.uplink.state === 'online' ? 'online' : s.uplink && s.uplink.state !== 'disabled' ? 'offline' : 'unknown');
    const b = s.backlog;
    document.getElementById('backlog').textContent = b ? 'backlog ' + b.records + ' records, ' + Math.round(b.bytes / 1024) + ' KiB, oldest ' + (b.oldest_age_s ?? 0) + ' s, ETA ' + (b.eta_s === null ? 'unknown' : b.eta_s + ' s') : '';
    const u = s.uplink || {};
    const detail = [];
    if (u.offline_since) detail.push('offline since ' + new Date(u.offline_since).toLocaleTimeString() + ' (' + ago(u.offline_since).replace(' ago', '') + ')');
    if (u.last_error) detail.push('last error: ' + u.last_error + (u.last_error_at ? ' at ' + new Date(u.last_error_at).toLocaleTimeString() : ''));
    if (u.parked) detail.push(u.parked + ' parked (lpr-gateway parked list)');
    document.getElementById('uplink-detail').textContent = detail.join(' · ');
    document.getElementById('updated').textContent = 'updated ' + new Date(s.time).toLocaleTimeString();
    const box = document.getElementById('cameras');
    box.replaceChildren(...s.cameras.map((c) => {
      const card = el('div', { class: 'cam', 'data-camera': c.camera_id, 'data-state': c.state });
      const h = el('h2', {}, c.checkpoint_id + ' / ' + c.camera_id);
      h.append(el('span', { class: 'pill ' + c.state }, c.state));
      card.append(h, el('div', { class: 'plates' }, c.latest ? c.latest.plates.join('  ') || '—' : '—'));
      if (c.latest && c.latest.image) card.append(el('img', { src: c.latest.image, alt: 'latest image' }));
      card.append(el('div', { class: 'meta' }, 'last seen ' + ago(c.last_seen) + ' · ' + c.per_minute + '/min · ' + c.detections + ' detections'));
      return card;
    }));
    document.getElementById('rejections').replaceChildren(...s.rejections.map((r) =>
      el('tr', {}, undefined)).map((tr, i) => { const r = s.rejections[i]; for (const v of [new Date(r.at).toLocaleTimeString(), r.code, r.transport, r.remote || '', r.message]) tr.append(el('td', {}, v)); return tr; }));
  }
  io('/status').on('snapshot', render);
</script>
</body>
</html>
`;
