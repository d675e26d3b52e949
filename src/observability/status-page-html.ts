// The live status page served at "/": one self-contained HTML document (no build step for
// the operator), updated over the read-only Socket.IO namespace /status. Text is set with
// textContent only, so nothing a camera sends can inject markup. Thai or English (the
// browser's language, or the switch, remembered), times on a 24-hour clock in the gateway's
// time zone, and a "connecting" state so the page is never an empty shell. The alert
// banner and the Events view are in status-page-events.ts.
import { EVENTS_CSS, EVENTS_HTML, EVENTS_SCRIPT, EVENTS_SECTION_HTML, EVENTS_TEXT } from './status-page-events.js';

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
  table { width: 100%; border-collapse: collapse; font-size: .8rem; table-layout: fixed; }
  td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
  td:nth-child(1) { width: 5.5em; } td:nth-child(2) { width: 11em; }
  @media (max-width: 600px) { #rejections td:nth-child(3), #rejections td:nth-child(4) { display: none; } td:nth-child(2) { width: 8em; } }
  #lang { margin-left: auto; border: 1px solid #b8c2cf; background: white; border-radius: 6px; padding: 2px 8px; cursor: pointer; }
  #feed { color: #7d1414; }
  #store-problem { background: #7d1414; color: white; border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; font-weight: 600; }
${EVENTS_CSS}
</style>
</head>
<body>
<header>
  <h1><span data-t="title">LPR gateway</span> <span id="gateway"></span></h1>
  <span><span data-t="uplink">uplink</span> <span id="uplink" class="pill">…</span></span>
  <span id="backlog" class="meta"></span>
  <span id="uplink-detail" class="meta"></span>
  <span id="forward" class="meta" hidden></span>
  <span id="store" class="meta"></span>
  <span id="about" class="meta"></span>
  <span id="updated" class="meta"></span>
  <span id="feed" class="meta"></span>
  <button id="lang" type="button"></button>
</header>
<div id="store-problem" role="alert" hidden></div>
${EVENTS_HTML}
<div id="cameras"><p class="meta" id="connecting" data-t="connecting">Connecting to the gateway…</p></div>
${EVENTS_SECTION_HTML}
<section><strong data-t="rejections">Recent rejections</strong><table><tbody id="rejections"></tbody></table></section>
<script src="/assets/socket.io.min.js"></script>
<script>
  const el = (tag, attrs = {}, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const TEXT = {
    en: { title: 'LPR gateway', uplink: 'uplink', connecting: 'Connecting to the gateway…', rejections: 'Recent rejections',
      never: 'never', s: 's', min: 'min', h: 'h', ago: 'ago', disabled: 'disabled', online: 'online', offline: 'offline', unknown: 'unknown', connecting_state: 'connecting',
      backlog: 'backlog', records: 'records', oldest: 'oldest', eta: 'ETA', eta_unknown: 'unknown', offline_since: 'offline since', last_error: 'last error', at: 'at',
      parked: 'parked (lpr-gateway parked list)', updated: 'updated', last_seen: 'last seen', per_min: '/min', detections: 'detections',
      store: 'store', of: 'of', quota: 'quota', disk_free: 'disk free', version: 'version', up: 'up',
      store_problem: 'Not accepting camera records (cameras are told to resend later):', since: 'since',
      forward: 'central server', waiting: 'waiting',
      lost: 'live feed lost, reconnecting…', login: 'login required', no_cameras: 'No camera has sent anything yet.', switch: 'ไทย' },
    th: { title: 'เกตเวย์อ่านป้ายทะเบียน', uplink: 'การส่งขึ้นคลาวด์', connecting: 'กำลังเชื่อมต่อกับเกตเวย์…', rejections: 'ข้อความที่ถูกปฏิเสธล่าสุด',
      never: 'ไม่เคย', s: 'วินาที', min: 'นาที', h: 'ชม.', ago: 'ที่แล้ว', disabled: 'ปิดอยู่', online: 'ออนไลน์', offline: 'ออฟไลน์', unknown: 'ไม่ทราบ', connecting_state: 'กำลังเชื่อมต่อ',
      backlog: 'ค้างส่ง', records: 'รายการ', oldest: 'เก่าสุด', eta: 'คาดว่าเสร็จใน', eta_unknown: 'ไม่ทราบ', offline_since: 'ออฟไลน์ตั้งแต่', last_error: 'ข้อผิดพลาดล่าสุด', at: 'เมื่อ',
      parked: 'รายการที่พักไว้ (lpr-gateway parked list)', updated: 'อัปเดต', last_seen: 'เห็นล่าสุด', per_min: '/นาที', detections: 'การตรวจจับ',
      store: 'พื้นที่เก็บ', of: 'จาก', quota: 'โควตา', disk_free: 'ดิสก์ว่าง', version: 'เวอร์ชัน', up: 'ทำงานมา',
      store_problem: 'ไม่รับข้อมูลจากกล้อง (กล้องจะส่งใหม่ภายหลัง):', since: 'ตั้งแต่',
      forward: 'เซิร์ฟเวอร์กลาง', waiting: 'รอส่ง',
      lost: 'การเชื่อมต่อสดหลุด กำลังเชื่อมต่อใหม่…', login: 'ต้องเข้าสู่ระบบ', no_cameras: 'ยังไม่มีกล้องส่งข้อมูลเข้ามา', switch: 'EN' },
  };
  for (const l of ['en', 'th']) Object.assign(TEXT[l], ${JSON.stringify(EVENTS_TEXT)}[l]);
  let lang = localStorage.getItem('lang') || ((navigator.language || 'en').toLowerCase().startsWith('th') ? 'th' : 'en');
  let last = null;
  const t = (k) => TEXT[lang][k] ?? TEXT.en[k] ?? k;
  function applyLang() {
    document.documentElement.lang = lang;
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.getAttribute('data-t'));
    document.getElementById('lang').textContent = t('switch');
    document.getElementById('q-plate').placeholder = t('plate_ph');
    if (last) render(last);
  }
  document.getElementById('lang').addEventListener('click', () => { lang = lang === 'th' ? 'en' : 'th'; localStorage.setItem('lang', lang); applyLang(); });
  // 24-hour clock in the gateway's zone (its cameras' zone), whatever the viewer's device uses.
  const clock = (iso, zone) => { try { return new Intl.DateTimeFormat(lang === 'th' ? 'th-TH' : 'en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso)); } catch { return new Date(iso).toISOString().slice(11, 19); } };
  const span = (sec) => sec < 60 ? sec + ' ' + t('s') : sec < 3600 ? Math.round(sec / 60) + ' ' + t('min') : Math.floor(sec / 3600) + ' ' + t('h') + ' ' + Math.round((sec % 3600) / 60) + ' ' + t('min');
  const ago = (iso) => { if (!iso) return t('never'); const sec = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)); return span(sec) + ' ' + t('ago'); };
  const size = (b) => b >= 1e9 ? (b / 1e9).toFixed(1) + ' GB' : b >= 1e6 ? (b / 1e6).toFixed(1) + ' MB' : Math.round(b / 1e3) + ' kB';
${EVENTS_SCRIPT}
  function render(s) {
    last = s;
    syncAlerts(s);
    syncCameraFilter(s);
    const zone = s.time_zone;
    document.getElementById('feed').textContent = '';
    document.getElementById('gateway').textContent = s.gateway_id || '';
    const up = document.getElementById('uplink');
    const state = s.uplink ? s.uplink.state : 'disabled';
    up.textContent = t(state === 'connecting' ? 'connecting_state' : state);
    up.className = 'pill ' + (state === 'online' ? 'online' : s.uplink && state !== 'disabled' ? 'offline' : 'unknown');
    const b = s.backlog;
    document.getElementById('backlog').textContent = b ? t('backlog') + ' ' + b.records + ' ' + t('records') + ', ' + size(b.bytes) + ', ' + t('oldest') + ' ' + span(b.oldest_age_s ?? 0) + ', ' + t('eta') + ' ' + (b.eta_s === null ? t('eta_unknown') : span(b.eta_s)) : '';
    const u = s.uplink || {};
    const detail = [];
    if (u.offline_since) detail.push(t('offline_since') + ' ' + clock(u.offline_since, zone) + ' (' + ago(u.offline_since) + ')');
    if (u.last_error) detail.push(t('last_error') + ': ' + u.last_error + (u.last_error_at ? ' ' + t('at') + ' ' + clock(u.last_error_at, zone) : ''));
    if (u.parked) detail.push(u.parked + ' ' + t('parked'));
    document.getElementById('uplink-detail').textContent = detail.join(' · ');
    const fw = document.getElementById('forward');
    const f = s.forward;
    fw.hidden = !f;
    if (f) {
      const parts = [t('forward') + ' ' + t(f.state === 'connecting' ? 'connecting_state' : f.state) + (f.transport ? ' (' + f.transport + ')' : '')];
      if (f.backlog) parts.push(t('waiting') + ' ' + f.backlog.records + ' ' + t('records'));
      if (f.offline_since) parts.push(t('offline_since') + ' ' + clock(f.offline_since, zone));
      if (f.last_error) parts.push(t('last_error') + ': ' + f.last_error);
      if (f.parked) parts.push(f.parked + ' ' + t('parked'));
      fw.textContent = parts.join(' · ');
    }
    const st = s.store;
    document.getElementById('store').textContent = st ? t('store') + ' ' + size(st.used_bytes) + ' ' + t('of') + ' ' + size(st.quota_bytes) + ' ' + t('quota') + ' (' + Math.round((100 * st.used_bytes) / Math.max(1, st.quota_bytes)) + ' %) · ' + t('disk_free') + ' ' + size(st.disk_free_bytes) : '';
    const problem = document.getElementById('store-problem');
    problem.hidden = !(st && st.problem);
    problem.textContent = st && st.problem ? t('store_problem') + ' ' + st.problem.message + (st.problem.since ? ' · ' + t('since') + ' ' + clock(st.problem.since, zone) : '') : '';
    document.getElementById('about').textContent = (s.version ? t('version') + ' ' + s.version : '') + (s.started_at ? ' · ' + t('up') + ' ' + span(Math.max(0, Math.round((Date.parse(s.time) - Date.parse(s.started_at)) / 1000))) : '');
    document.getElementById('updated').textContent = t('updated') + ' ' + clock(s.time, zone);
    const box = document.getElementById('cameras');
    if (s.cameras.length === 0) box.replaceChildren(el('p', { class: 'meta', id: 'no-cameras' }, t('no_cameras')));
    else box.replaceChildren(...s.cameras.map((c) => {
      const card = el('div', { class: 'cam', 'data-camera': c.camera_id, 'data-state': c.state });
      const h = el('h2', {}, c.checkpoint_id + ' / ' + c.camera_id);
      h.append(el('span', { class: 'pill ' + c.state }, t(c.state)));
      card.append(h, el('div', { class: 'plates' }, c.latest ? c.latest.plates.join('  ') || '—' : '—'));
      if (c.latest && c.latest.image) card.append(el('img', { src: c.latest.image, alt: 'latest image' }));
      card.append(el('div', { class: 'meta' }, t('last_seen') + ' ' + ago(c.last_seen) + ' · ' + c.per_minute + t('per_min') + ' · ' + c.detections + ' ' + t('detections')));
      const skew = clockNote(c, s.clocks);
      if (skew) card.append(skew);
      return card;
    }));
    document.getElementById('rejections').replaceChildren(...s.rejections.map((r) => {
      const tr = el('tr', {}, undefined);
      for (const v of [clock(r.at, zone), r.code, r.transport, r.remote || '', r.message]) tr.append(el('td', {}, v));
      return tr;
    }));
  }
  applyLang();
  const feed = io('/status');
  // The events list waits for the first snapshot: its times are shown in the gateway's zone.
  feed.on('snapshot', (s) => { const first = !last; render(s); if (first) loadEvents(false); });
  feed.on('alert', mergeAlert);
  feed.on('connect_error', (err) => { document.getElementById('feed').textContent = err && err.message === 'login required' ? t('login') : t('lost'); });
  feed.on('disconnect', () => { document.getElementById('feed').textContent = t('lost'); });
</script>
</body>
</html>
`;
