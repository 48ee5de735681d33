// The live fleet page: every device's newest position on a Leaflet map, coloured by its status, refreshed
// every few seconds, with a panel of ingest counters. Reads the API with the key given as #key=... in the
// address or typed into the form (kept in this browser's localStorage).
(function () {
  'use strict';
  const COLORS = { reporting: '#2e7d32', silent: '#9e9e9e', alert: '#d32f2f', disabled: '#212121' };
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const refreshMs = Math.max(1000, Number(params.get('refresh') || 10000));
  const MAX_PAGES = 5; // 5 pages of 10,000 devices at most on one map
  if (params.get('key')) localStorage.setItem('fleetcoreApiKey', params.get('key'));

  const map = L.map('map', { worldCopyJump: true, preferCanvas: false }).setView([20, 0], 2);
  const markers = {};
  window.fleetMarkers = markers;
  let lastSample = null;

  // A plain coordinate grid (no network needed), under OpenStreetMap tiles when the browser can reach them.
  const Grid = L.GridLayer.extend({
    createTile: function (coords) {
      const tile = document.createElement('canvas');
      const size = this.getTileSize();
      tile.width = size.x; tile.height = size.y;
      const ctx = tile.getContext('2d');
      ctx.fillStyle = '#eef2f5'; ctx.fillRect(0, 0, size.x, size.y);
      ctx.strokeStyle = '#c5ced6'; ctx.strokeRect(0, 0, size.x, size.y);
      const nw = map.unproject(coords.scaleBy(size), coords.z);
      ctx.fillStyle = '#667'; ctx.font = '10px monospace';
      ctx.fillText(nw.lat.toFixed(2) + ', ' + nw.lng.toFixed(2), 3, 11);
      return tile;
    }
  });
  new Grid({ zIndex: 0 }).addTo(map);
  setBaseMap('coordinate grid');
  const probe = new Image();
  const probeTimer = setTimeout(() => { probe.src = ''; }, 4000);
  probe.onload = () => {
    clearTimeout(probeTimer);
    L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 19, zIndex: 1, attribution: '&copy; OpenStreetMap contributors'
    }).addTo(map);
    setBaseMap('OpenStreetMap');
  };
  probe.src = 'https://tile.openstreetmap.org/0/0/0.png';

  function setBaseMap(name) { document.getElementById('base-map').textContent = name; }

  function key() { return localStorage.getItem('fleetcoreApiKey') || ''; }

  async function api(path) {
    const headers = key() ? { 'X-API-Key': key() } : {};
    const res = await fetch(path, { headers: headers });
    if (res.status === 401 || res.status === 403) {
      document.getElementById('key-form').hidden = false;
      throw new Error('the API refused the key (' + res.status + '): enter one');
    }
    if (!res.ok) {
      let detail = res.statusText;
      try { detail = (await res.json()).detail; } catch (e) { /* not a problem document */ }
      throw new Error(path + ': ' + detail);
    }
    return res.json();
  }

  async function pages(path) {
    let items = [];
    let cursor = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await api(path + '?limit=10000' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items = items.concat(page.items);
      if (!page.next) break;
      cursor = page.next;
    }
    return items;
  }

  async function refresh() {
    try {
      const [positions, devices, summary] = await Promise.all([
        pages('/api/v1/positions/latest'), pages('/api/v1/devices'), api('/api/v1/metrics/summary')]);
      const status = {};
      devices.forEach(d => { status[d.device_id] = d.status; });
      const counts = { reporting: 0, silent: 0, alert: 0, disabled: 0 };
      const seen = {};
      positions.forEach(p => {
        const s = status[p.device_id] || 'silent';
        counts[s] = (counts[s] || 0) + 1;
        seen[p.device_id] = true;
        const popup = '<b>' + p.device_id + '</b><br>' + s + '<br>fix ' + p.fix_time
          + '<br>' + p.latitude.toFixed(5) + ', ' + p.longitude.toFixed(5)
          + (p.speed_kmh != null ? '<br>' + p.speed_kmh + ' km/h' : '');
        let m = markers[p.device_id];
        if (!m) {
          m = L.circleMarker([p.latitude, p.longitude], { radius: 7, weight: 2, fillOpacity: 0.8 }).addTo(map);
          markers[p.device_id] = m;
        }
        m.setLatLng([p.latitude, p.longitude]);
        m.setStyle({ color: COLORS[s], fillColor: COLORS[s], className: 'fc-marker' });
        m.bindPopup(popup);
        m.status = s;
        if (m.getElement()) {
          m.getElement().classList.add('fc-marker', 'fc-' + s);
          ['reporting', 'silent', 'alert', 'disabled'].filter(x => x !== s)
            .forEach(x => m.getElement().classList.remove('fc-' + x));
          m.getElement().setAttribute('data-device', p.device_id);
        }
      });
      Object.keys(markers).filter(id => !seen[id]).forEach(id => { map.removeLayer(markers[id]); delete markers[id]; });
      if (!lastSample && positions.length) {
        map.fitBounds(L.latLngBounds(positions.map(p => [p.latitude, p.longitude])).pad(0.2), { maxZoom: 12 });
      }
      text('devices-shown', positions.length);
      text('status-counts', counts.reporting + ' / ' + counts.silent + ' / ' + counts.alert + ' / ' + counts.disabled);
      const now = Date.parse(summary.sampled_at);
      if (lastSample && now > lastSample.at) {
        const rate = (summary.records_received_total - lastSample.received) * 1000 / (now - lastSample.at);
        text('ingest-rate', rate.toFixed(1) + ' records/s');
      }
      lastSample = { at: now, received: summary.records_received_total };
      text('ack-p99', summary.ack_p99_ms == null ? 'no ACK yet' : summary.ack_p99_ms.toFixed(1) + ' ms');
      text('dead-lettered', summary.records_dead_lettered_total);
      text('parked', summary.records_parked_total);
      text('updated', new Date().toLocaleTimeString());
      text('error', '');
      document.body.dataset.loaded = 'true';
    } catch (e) {
      text('error', e.message);
    }
  }

  function text(id, value) { document.getElementById(id).textContent = value; }

  document.getElementById('key-form').addEventListener('submit', ev => {
    ev.preventDefault();
    localStorage.setItem('fleetcoreApiKey', document.getElementById('key-input').value);
    document.getElementById('key-form').hidden = true;
    refresh();
  });

  refresh();
  setInterval(refresh, refreshMs);
})();
