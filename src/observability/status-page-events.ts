// The status page's checkpoint parts: the alert banner (open hotlist alerts, until a
// viewer acknowledges them) and the Events view (recent detections, filter by camera and
// time, plate search, the full frame and the record's JSON on click). Plain DOM, text via
// textContent only; uses el(), t(), clock() and size() of the page's main script.

export const EVENTS_CSS = `
  #alerts { display: grid; gap: 8px; margin-bottom: 12px; }
  .alert { display: flex; gap: 12px; align-items: center; border-radius: 10px; padding: 10px 12px; color: white; background: #b3261e; box-shadow: 0 2px 6px rgba(0,0,0,.25); }
  .alert[data-level="warning"] { background: #b35c00; } .alert[data-level="info"] { background: #1d5fa8; }
  .alert img { height: 64px; max-width: 160px; object-fit: contain; background: #111; border-radius: 6px; }
  .alert .what { flex: 1; min-width: 0; } .alert .plate { font-size: 1.5rem; font-weight: 700; letter-spacing: .04em; }
  .alert .why { font-weight: 600; } .alert .small { font-size: .85rem; opacity: .95; overflow-wrap: anywhere; }
  .alert a { color: white; } .alert button { border: 0; border-radius: 6px; padding: 8px 12px; font-weight: 600; cursor: pointer; }
  .clock.warn { color: #9a4b00; font-weight: 600; }
  #events form { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 8px 0; font-size: .85rem; }
  #events input, #events select, #events button { font: inherit; padding: 3px 6px; }
  #event-rows tr { cursor: pointer; } #event-rows tr:hover { background: #f0f4fa; }
  #event-rows img { height: 32px; max-width: min(90px, 100%); object-fit: contain; background: #222; border-radius: 3px; }
  #events table td:nth-child(3) { font-weight: 600; }
  dialog { max-width: min(96vw, 1000px); border: 0; border-radius: 10px; padding: 12px; }
  dialog img { max-width: 100%; max-height: 60vh; display: block; margin: 0 auto 8px; background: #111; }
  @media (max-width: 600px) { .alert { flex-wrap: wrap; } .alert img { max-width: 45%; } .alert .what { flex-basis: 100%; order: 2; } .alert button { order: 1; margin-left: auto; } #event-rows td:nth-child(4) { width: 4.5em; } }
  dialog pre { max-height: 30vh; overflow: auto; font-size: .75rem; background: #f3f5f8; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
`;

export const EVENTS_HTML = `
<div id="alerts" aria-live="assertive"></div>`;

export const EVENTS_SECTION_HTML = `
<section id="events"><strong data-t="events">Events</strong>
  <form id="event-form">
    <input id="q-plate" type="search" autocomplete="off">
    <label><input id="q-fuzzy" type="checkbox"> <span data-t="fuzzy">1 character off</span></label>
    <select id="q-camera"><option value="" data-t="all_cameras">all cameras</option></select>
    <label><span data-t="from">from</span> <input id="q-from" type="datetime-local" step="1"></label>
    <label><span data-t="to">to</span> <input id="q-to" type="datetime-local" step="1"></label>
    <button type="submit" data-t="search">Search</button>
  </form>
  <table><tbody id="event-rows"></tbody></table>
  <p class="meta" id="event-note"></p>
  <button type="button" id="event-more" hidden data-t="more">Older</button>
</section>
<dialog id="detail"><img id="detail-img" alt=""><pre id="detail-json"></pre><form method="dialog"><button data-t="close">Close</button></form></dialog>`;

export const EVENTS_TEXT = {
  en: {
    events: 'Events', fuzzy: '1 character off', all_cameras: 'all cameras', from: 'from', to: 'to', search: 'Search', more: 'Older', close: 'Close',
    plate_ph: 'plate, e.g. กข 1234', no_events: 'No detections match.', acknowledge: 'Acknowledge', full_frame: 'full frame', times: 'times',
    camera: 'camera', level_critical: 'CRITICAL', level_warning: 'WARNING', level_info: 'INFO', fuzzy_match: 'read as', clock: 'clock',
    behind: 'behind', ahead: 'ahead', search_failed: 'search failed', days: 'days',
  },
  th: {
    events: 'เหตุการณ์', fuzzy: 'ต่างได้ 1 ตัวอักษร', all_cameras: 'ทุกกล้อง', from: 'ตั้งแต่', to: 'ถึง', search: 'ค้นหา', more: 'เก่ากว่า', close: 'ปิด',
    plate_ph: 'ทะเบียน เช่น กข 1234', no_events: 'ไม่พบการตรวจจับที่ตรงกัน', acknowledge: 'รับทราบ', full_frame: 'ภาพเต็ม', times: 'ครั้ง',
    camera: 'กล้อง', level_critical: 'วิกฤต', level_warning: 'เตือน', level_info: 'แจ้งให้ทราบ', fuzzy_match: 'อ่านได้', clock: 'นาฬิกา',
    behind: 'ช้า', ahead: 'เร็ว', search_failed: 'ค้นหาไม่สำเร็จ', days: 'วัน',
  },
};

export const EVENTS_SCRIPT = `
  const alertsShown = new Map();
  function renderAlerts(list, zone) {
    const box = document.getElementById('alerts');
    box.replaceChildren(...list.map((a) => {
      const card = el('div', { class: 'alert', 'data-alert': a.alert_id, 'data-level': a.level, role: 'alert' });
      const crop = a.images.find((i) => i.name.startsWith('cropped_plate')) || a.images[0];
      if (crop) card.append(el('img', { src: '/api/images/' + crop.sha256, alt: a.plate }));
      const what = el('div', { class: 'what' });
      what.append(el('div', { class: 'plate' }, a.plate + (a.match === 'fuzzy' ? ' (' + a.entry_plate + ')' : '')));
      what.append(el('div', { class: 'why' }, t('level_' + a.level) + ' · ' + a.reason + (a.note ? ' — ' + a.note : '')));
      const where = t('camera') + ' ' + a.checkpoint_id + ' / ' + a.camera_id + ' · ' + clock(a.received_at, zone) + (a.count > 1 ? ' · ' + a.count + ' ' + t('times') : '');
      const small = el('div', { class: 'small' }, where + ' · ');
      const frame = a.images.find((i) => !i.name.startsWith('cropped_plate'));
      if (frame) { const link = el('a', { href: '/api/images/' + frame.sha256, target: '_blank', rel: 'noopener' }, t('full_frame')); small.append(link); }
      what.append(small);
      const ack = el('button', { type: 'button', class: 'ack' }, t('acknowledge'));
      ack.addEventListener('click', async () => {
        ack.disabled = true;
        const r = await fetch('/api/alerts/' + encodeURIComponent(a.alert_id) + '/ack', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: 'status page' }) });
        if (r.ok) { alertsShown.delete(a.alert_id); renderAlerts([...alertsShown.values()], zone); } else ack.disabled = false;
      });
      card.append(what, ack);
      return card;
    }));
  }
  function mergeAlert(a) {
    if (a.acknowledged_at) alertsShown.delete(a.alert_id); else alertsShown.set(a.alert_id, a);
    renderAlerts([...alertsShown.values()].sort((x, y) => y.seq - x.seq), last ? last.time_zone : undefined);
  }
  function syncAlerts(s) {
    alertsShown.clear();
    for (const a of s.alerts || []) alertsShown.set(a.alert_id, a);
    renderAlerts(s.alerts || [], s.time_zone);
  }
  function clockNote(c, clocks) {
    const k = (clocks || []).find((x) => x.camera_id === c.camera_id);
    if (!k || !k.warning) return null;
    const off = Math.abs(k.offset_s);
    const amount = off >= 2 * 86400 ? Math.round(off / 86400) + ' ' + t('days') : span(Math.round(off));
    return el('div', { class: 'clock warn', title: k.offset_s + ' s' }, t('clock') + ' ' + amount + ' ' + t(k.offset_s > 0 ? 'behind' : 'ahead'));
  }
  let eventsBefore = null;
  function eventQuery(more) {
    const q = new URLSearchParams({ limit: '25' });
    const plate = document.getElementById('q-plate').value.trim();
    if (plate) q.set('plate', plate);
    if (plate && document.getElementById('q-fuzzy').checked) q.set('fuzzy', '1');
    const cam = document.getElementById('q-camera').value;
    if (cam) q.set('camera', cam);
    for (const k of ['from', 'to']) { const v = document.getElementById('q-' + k).value; if (v) q.set(k, v); }
    if (more && eventsBefore) q.set('before', String(eventsBefore));
    return (plate ? '/api/search?' : '/api/events?') + q;
  }
  async function loadEvents(more) {
    const rows = document.getElementById('event-rows');
    const note = document.getElementById('event-note');
    const r = await fetch(eventQuery(more)).catch(() => null);
    const body = r && r.ok ? await r.json() : null;
    if (!body) { note.textContent = t('search_failed') + (r ? ' (' + r.status + ')' : ''); return; }
    const zone = last ? last.time_zone : undefined;
    const made = body.data.map((d) => {
      const tr = el('tr', { 'data-detection': d.detection_id });
      const crop = d.images.find((i) => i.name.startsWith('cropped_plate') && !i.evicted) || d.images.find((i) => !i.evicted);
      const img = el('td');
      if (crop) img.append(el('img', { src: crop.url, alt: '', loading: 'lazy' }));
      const day = new Date(d.time).toLocaleDateString(lang === 'th' ? 'th-TH' : 'en-GB', { timeZone: zone, day: '2-digit', month: 'short' });
      tr.append(el('td', {}, day + ' ' + clock(d.time, zone)), el('td', {}, d.checkpoint_id + ' / ' + d.camera_id), el('td', {}, (d.plates || []).join('  ') + (d.match === 'fuzzy' ? ' ≈' : '')), img);
      tr.addEventListener('click', () => showDetail(d));
      return tr;
    });
    if (more) rows.append(...made); else rows.replaceChildren(...made);
    eventsBefore = body.next_before || null;
    document.getElementById('event-more').hidden = !eventsBefore;
    note.textContent = rows.children.length === 0 ? t('no_events') : '';
  }
  async function showDetail(d) {
    const frame = d.images.find((i) => !i.name.startsWith('cropped_plate') && !i.evicted) || d.images.find((i) => !i.evicted);
    const img = document.getElementById('detail-img');
    if (frame) { img.src = frame.url; img.hidden = false; } else img.hidden = true;
    const r = await fetch('/api/records/' + encodeURIComponent(d.detection_id));
    document.getElementById('detail-json').textContent = r.ok ? JSON.stringify((await r.json()).data, null, 2) : String(r.status);
    document.getElementById('detail').showModal();
  }
  function syncCameraFilter(s) {
    const sel = document.getElementById('q-camera');
    const have = new Set([...sel.options].map((o) => o.value));
    for (const c of s.cameras) if (!have.has(c.camera_id)) sel.append(el('option', { value: c.camera_id }, c.checkpoint_id + ' / ' + c.camera_id));
  }
  document.getElementById('event-form').addEventListener('submit', (e) => { e.preventDefault(); loadEvents(false); });
  // With no filter and no paging the list is live: refreshed every few seconds.
  const unfiltered = () => !eventsBefore && ['q-plate', 'q-camera', 'q-from', 'q-to'].every((id) => !document.getElementById(id).value);
  setInterval(() => { if (unfiltered() && !document.getElementById('detail').open) loadEvents(false); }, 3000);
  document.getElementById('event-more').addEventListener('click', () => loadEvents(true));
`;
