// Operator page of x-webhook-receiver. Every figure comes from the admin API with the bearer token the operator
// typed; the token lives in sessionStorage (this tab only). Data is written with textContent, never as HTML:
// event keys and errors can carry text chosen by X users.
'use strict';

const TOKEN = 'xwr-admin-token';
const REFRESH_MS = 5000;
let timer = null;

const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (response.status === 401) {
    signOut('The token was refused.');
    throw new Error('unauthorized');
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((json && (json.detail || json.title)) || 'HTTP ' + response.status);
    error.problem = json; // X's per-rule errors travel in it
    throw error;
  }
  return json;
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '–';
}

function cell(row, value, className) {
  const td = document.createElement('td');
  td.textContent = value === null || value === undefined ? '' : String(value);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function button(row, label, onClick) {
  const td = document.createElement('td');
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  td.appendChild(b);
  row.appendChild(td);
  return b;
}

function fill(tableId, items, render) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren();
  for (const item of items) {
    const row = document.createElement('tr');
    render(row, item);
    body.appendChild(row);
  }
}

async function refreshStatus() {
  const s = await api('GET', '/admin/status');
  $('last-crc').textContent = s.lastCrcAnswer ? when(s.lastCrcAnswer) : 'none yet';
  $('deliveries-minute').textContent = s.rates.deliveriesLastMinute;
  $('deliveries-hour').textContent = s.rates.deliveriesLastHour;
  $('events-minute').textContent = s.rates.eventsLastMinute;
  $('events-hour').textContent = s.rates.eventsLastHour;
  $('outbox-pending').textContent = s.outbox.pending;
  $('outbox-parked').textContent = s.outbox.parked;
}

// note: what the last action on a webhook did, shown under the refreshed list
async function refreshWebhooks(note) {
  try {
    const hooks = await api('GET', '/admin/x/webhooks');
    $('webhooks-note').textContent = note || (hooks.length ? '' : 'No webhook is registered with X for this app.');
    fill('webhooks', hooks, (row, w) => {
      cell(row, w.id);
      cell(row, w.url);
      cell(row, w.valid ? 'valid' : 'invalid', w.valid ? 'valid' : 'invalid');
      cell(row, when(w.createdAt));
      button(row, 'Re-validate', async (e) => {
        e.target.disabled = true;
        let outcome;
        try {
          const result = await api('PUT', '/admin/x/webhooks/' + encodeURIComponent(w.id));
          outcome = 'Webhook ' + w.id + (result.valid ? ' passed the CRC.' : ' did not pass the CRC.');
        } catch (err) {
          outcome = 'Re-validation of ' + w.id + ' failed: ' + err.message;
        }
        await refreshWebhooks(outcome);
      }).className = 'revalidate';
    });
  } catch (err) {
    fill('webhooks', [], () => {});
    $('webhooks-note').textContent = 'X is not reachable from here: ' + err.message;
  }
}

async function refreshTables() {
  const eventsAsked = eventsPath();
  const [eventPage, gaps, replays, parked, recoveries] = await Promise.all([
    api('GET', eventsAsked),
    api('GET', '/admin/gaps?limit=20'),
    api('GET', '/admin/replays?limit=20'),
    api('GET', '/admin/outbox/parked'),
    api('GET', '/admin/x/stream/recoveries?limit=20'),
  ]);
  fill('stream-recoveries', recoveries, (row, r) => {
    cell(row, when(r.windowFrom));
    cell(row, when(r.windowTo));
    cell(row, when(r.readUpTo));
    cell(row, r.state);
    cell(row, r.postsRead);
    cell(row, r.note);
  });
  // a filter or page chosen meanwhile wins over this older answer
  if (eventsAsked === eventsPath()) showEvents(eventPage);
  fill('gaps', gaps, (row, g) => {
    cell(row, when(g.window.from));
    cell(row, when(g.window.to));
    cell(row, g.cause);
    cell(row, g.state);
    cell(row, g.note);
  });
  fill('replays', replays, (row, j) => {
    cell(row, j.xJobId);
    cell(row, when(j.window.from));
    cell(row, when(j.window.to));
    cell(row, j.state);
    cell(row, when(j.submittedAt));
  });
  fill('parked', parked, (row, p) => {
    cell(row, p.id);
    cell(row, p.eventKey);
    cell(row, p.topic);
    cell(row, p.attempts);
    cell(row, p.lastError);
    button(row, 'Release', async () => {
      await api('POST', '/admin/outbox/parked/' + p.id + '/release');
      await refresh();
    });
  });
}

// note: what the last action on the stream did, kept under the refreshed tables
async function refreshStream() {
  try {
    const [rules, links] = await Promise.all([
      api('GET', '/admin/x/stream/rules'),
      api('GET', '/admin/x/stream/links'),
    ]);
    fill('stream-rules', (rules && rules.data) || [], (row, r) => {
      cell(row, r.value);
      cell(row, r.tag);
      cell(row, r.id);
      button(row, 'Delete', async (e) => {
        e.target.disabled = true;
        await changeRules({ delete: { ids: [r.id] } }, false, 'Deleted rule ' + r.id + '.');
      }).className = 'delete-rule';
    });
    fill('stream-links', links, (row, l) => {
      cell(row, l.webhookId);
      cell(row, l.fields.join(' '));
      button(row, 'Unlink', async (e) => {
        e.target.disabled = true;
        try {
          await api('DELETE', '/admin/x/stream/links/' + encodeURIComponent(l.webhookId));
          $('link-result').textContent = 'Unlinked webhook ' + l.webhookId + '.';
        } catch (err) {
          $('link-result').textContent = 'Unlink refused: ' + err.message;
        }
        await refreshStream();
      }).className = 'unlink';
    });
  } catch (err) {
    $('rule-result').textContent = 'X is not reachable from here: ' + err.message;
  }
}

async function refreshAccounts() {
  const list = await api('GET', '/admin/x/accounts');
  fill('accounts', list, (row, a) => {
    cell(row, a.userId);
    cell(row, a.username);
    cell(row, a.eventTypes.join(' '));
    cell(row, a.state, a.state === 'CONNECTED' ? 'valid' : 'invalid');
    cell(row, a.note);
    button(row, 'Disconnect', async (e) => {
      e.target.disabled = true;
      try {
        await api('DELETE', '/admin/x/accounts/' + encodeURIComponent(a.userId));
        $('connect-result').textContent = 'Disconnected ' + a.userId + '.';
      } catch (err) {
        $('connect-result').textContent = 'Disconnect failed: ' + err.message;
      }
      await refreshAccounts();
    }).className = 'disconnect';
  });
}

// The browser goes to X's consent page; X sends it back to the service's callback, which says what it connected.
async function connectAccount(event) {
  event.preventDefault();
  const eventTypes = $('connect-types').value.split(/[\s,]+/).filter(Boolean);
  try {
    const answer = await api('POST', '/admin/x/accounts/connect', { eventTypes });
    window.location.assign(answer.authorizeUrl);
  } catch (err) {
    $('connect-result').textContent = 'Cannot connect: ' + err.message;
  }
}

// X's answer to a rules change: a summary, and every rule X refused with X's own reason
async function changeRules(change, dryRun, done) {
  const errors = $('rule-errors');
  errors.replaceChildren();
  try {
    const answer = await api('POST', '/admin/x/stream/rules' + (dryRun ? '?dryRun=true' : ''), change);
    $('rule-result').textContent = done || (dryRun ? 'X accepts the rule.' : 'Rule added.');
    if (!dryRun && answer && answer.data) $('rule-value').value = '';
  } catch (err) {
    $('rule-result').textContent = (dryRun ? 'Dry run: ' : '') + err.message;
    for (const e of (err.problem && err.problem.errors) || []) {
      const item = document.createElement('li');
      item.textContent = [e.value || e.id, e.title, e.detail].filter(Boolean).join(' · ');
      errors.appendChild(item);
    }
  }
  await refreshStream();
}

function ruleFromForm(dryRun) {
  const rule = { value: $('rule-value').value };
  if ($('rule-tag').value) rule.tag = $('rule-tag').value;
  return changeRules({ add: [rule] }, dryRun);
}

// "tweet.fields=created_at,author_id expansions=author_id" into {"tweet.fields":[...], "expansions":[...]}
function fieldsOf(text) {
  const fields = {};
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const [name, values] = part.split('=');
    fields[name] = (values || '').split(',').filter(Boolean);
  }
  return fields;
}

async function linkStream(event) {
  event.preventDefault();
  const webhookId = $('link-webhook').value;
  try {
    await api('POST', '/admin/x/stream/links', { webhookId, fields: fieldsOf($('link-fields').value) });
    $('link-result').textContent = 'Linked the stream to webhook ' + webhookId + '.';
  } catch (err) {
    $('link-result').textContent = 'Link refused: ' + err.message;
  }
  await refreshStream();
}

// --- Charts: the timeline of the last hour or day, drawn as SVG from the admin API's figures -----------------

const SVG_NS = 'http://www.w3.org/2000/svg';
const CHART = { width: 600, height: 170, left: 46, right: 8, top: 8, bottom: 22 };
let range = 'hour';

function svg(name, attributes, parent) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (parent) parent.appendChild(element);
  return element;
}

function shortTime(ms) {
  const d = new Date(ms);
  return range === 'hour'
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

// The top of a chart's scale: 1, 2 or 5 times a power of ten, at or above the largest value
function niceCeiling(max) {
  if (!(max > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(max)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

// series: [{ name, value: (point) => number|null }]; windows: gaps and replay jobs to shade
function drawChart(id, timeline, series, windows) {
  const chart = $(id);
  chart.replaceChildren();
  const from = Date.parse(timeline.from);
  const to = Date.parse(timeline.to);
  const half = timeline.bucketSeconds * 500;
  const x = (ms) =>
    CHART.left + ((Math.min(to, Math.max(from, ms)) - from) / (to - from)) * (CHART.width - CHART.left - CHART.right);
  let max = 0;
  for (const s of series) {
    for (const p of timeline.points) {
      const v = s.value(p);
      if (v !== null && v !== undefined) max = Math.max(max, v);
    }
  }
  const top = niceCeiling(max);
  const y = (v) => CHART.top + (CHART.height - CHART.top - CHART.bottom) * (1 - v / top);
  for (const w of windows) {
    const start = Math.max(from, Date.parse(w.from));
    const end = Math.min(to, Date.parse(w.to));
    const rect = svg('rect', {
      class: w.kind, x: x(start), y: CHART.top, width: Math.max(1, x(end) - x(start)),
      height: CHART.height - CHART.top - CHART.bottom,
    }, chart);
    svg('title', {}, rect).textContent = (w.kind === 'gap' ? 'Gap ' : 'Replay ') + w.label + ' (' + w.state + '): '
      + when(w.from) + ' – ' + when(w.to);
  }
  const base = CHART.height - CHART.bottom;
  svg('line', { class: 'axis', x1: CHART.left, y1: base, x2: CHART.width - CHART.right, y2: base }, chart);
  svg('line', { class: 'axis', x1: CHART.left, y1: CHART.top, x2: CHART.left, y2: base }, chart);
  svg('text', { x: CHART.left - 4, y: CHART.top + 8, 'text-anchor': 'end' }, chart).textContent =
    top.toLocaleString();
  svg('text', { x: CHART.left - 4, y: base, 'text-anchor': 'end' }, chart).textContent = '0';
  for (const [ms, anchor] of [[from, 'start'], [(from + to) / 2, 'middle'], [to, 'end']]) {
    svg('text', { x: x(ms), y: CHART.height - 6, 'text-anchor': anchor }, chart).textContent = shortTime(ms);
  }
  for (const s of series) {
    const points = timeline.points
      .map((p) => [Date.parse(p.at) + half, s.value(p)])
      .filter(([, v]) => v !== null && v !== undefined);
    const d = points.map(([ms, v], i) => (i === 0 ? 'M' : 'L') + x(ms).toFixed(1) + ' ' + y(v).toFixed(1)).join(' ');
    const path = svg('path', { class: s.name, d: d || 'M0 0', 'data-points': points.length }, chart);
    svg('title', {}, path).textContent = s.name;
    if (points.length === 1) {
      svg('circle', { class: s.name, cx: x(points[0][0]), cy: y(points[0][1]), r: 2.5 }, chart);
    }
  }
}

async function refreshCharts() {
  const timeline = await api('GET', '/admin/timeline?range=' + range);
  for (const label of document.querySelectorAll('#activity .bucket')) {
    label.textContent = timeline.bucketSeconds === 60 ? 'minute' : timeline.bucketSeconds / 60 + ' minutes';
  }
  const windows = timeline.windows;
  drawChart('chart-rates', timeline, [
    { name: 'deliveries', value: (p) => p.deliveries },
    { name: 'events', value: (p) => p.events },
  ], windows);
  drawChart('chart-latency', timeline, [
    { name: 'p50', value: (p) => p.ackP50Ms },
    { name: 'p99', value: (p) => p.ackP99Ms },
  ], windows);
  drawChart('chart-lag', timeline, [{ name: 'lag', value: (p) => p.outboxLagSeconds }], windows);
}

function chooseRange(chosen) {
  range = chosen;
  $('range-hour').classList.toggle('selected', range === 'hour');
  $('range-day').classList.toggle('selected', range === 'day');
  refreshCharts().catch((err) => { $('error').textContent = 'Charts failed: ' + err.message; });
}

// --- Events: filtered by account and type, paged newest first, each opened on its data and raw delivery ------

const events = { account: '', type: '', before: null, newer: [], next: null, shown: null };

function eventsPath() {
  const query = new URLSearchParams({ limit: '20' });
  if (events.account) query.set('account', events.account);
  if (events.type) query.set('type', events.type);
  if (events.before !== null) query.set('before', events.before);
  return '/admin/events?' + query;
}

function showEvents(page) {
  events.next = page.nextBefore;
  $('events-older').disabled = page.nextBefore === null || page.nextBefore === undefined;
  $('events-newer').disabled = events.newer.length === 0;
  fill('events', page.items, (row, e) => {
    cell(row, when(e.recordedAt));
    cell(row, e.type);
    cell(row, e.accountId);
    cell(row, e.key);
    row.dataset.key = e.key;
    if (events.shown === e.key) row.classList.add('selected');
    row.addEventListener('click', () => openEvent(e, row));
  });
}

async function reloadEvents() {
  const asked = eventsPath();
  try {
    const page = await api('GET', asked);
    if (asked === eventsPath()) showEvents(page);
  } catch (err) {
    $('error').textContent = 'Events failed: ' + err.message;
  }
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (e) {
    return text;
  }
}

async function openEvent(e, row) {
  events.shown = e.key;
  for (const r of document.querySelectorAll('#events tbody tr')) r.classList.toggle('selected', r === row);
  $('event-detail').hidden = false;
  $('detail-key').textContent = e.key;
  $('detail-event').textContent = JSON.stringify(e, null, 2);
  $('detail-delivery').textContent = e.deliveryId === null ? '(none kept)' : '#' + e.deliveryId;
  $('detail-headers').textContent = '';
  $('detail-body').textContent = '';
  if (e.deliveryId === null || e.deliveryId === undefined) return;
  try {
    const d = await api('GET', '/admin/deliveries/' + encodeURIComponent(e.deliveryId));
    $('detail-delivery').textContent = '#' + d.id + ' · received ' + when(d.receivedAt) + ' · ' + d.projection
      + (d.problem ? ' · ' + d.problem : '');
    $('detail-headers').textContent = JSON.stringify(d.headers, null, 2);
    $('detail-body').textContent = d.bodyEncoding === 'utf-8' ? pretty(d.body) : d.body;
  } catch (err) {
    $('detail-body').textContent = 'Delivery unavailable: ' + err.message;
  }
}

function filterEvents(event) {
  event.preventDefault();
  events.account = $('filter-account').value.trim();
  events.type = $('filter-type').value.trim();
  events.before = null;
  events.newer = [];
  reloadEvents();
}

function olderEvents() {
  if (events.next === null || events.next === undefined) return;
  events.newer.push(events.before);
  events.before = events.next;
  reloadEvents();
}

function newerEvents() {
  if (events.newer.length === 0) return;
  events.before = events.newer.pop();
  reloadEvents();
}

async function refresh() {
  try {
    await Promise.all([refreshStatus(), refreshTables(), refreshCharts()]);
    $('error').textContent = '';
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (err) {
    if (err.message !== 'unauthorized') $('error').textContent = 'Refresh failed: ' + err.message;
  }
}

function localInput(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}

async function requestReplay(event) {
  event.preventDefault();
  const from = new Date($('replay-from').value);
  const to = new Date($('replay-to').value);
  try {
    const result = await api('POST', '/admin/replays', { from: from.toISOString(), to: to.toISOString() });
    $('replay-result').textContent = result.recorded
      ? 'Replay requested: it is submitted to X once X accepts the window.'
      : 'This window was already requested.';
    await refreshTables();
  } catch (err) {
    $('replay-result').textContent = 'Replay refused: ' + err.message;
  }
}

function show(signedIn) {
  $('login').hidden = signedIn;
  $('dashboard').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
}

function signIn(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN, $('token').value);
  $('token').value = '';
  start();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN);
  clearInterval(timer);
  timer = null;
  show(false);
  $('login-error').textContent = typeof message === 'string' ? message : '';
}

function start() {
  $('login-error').textContent = '';
  show(true);
  const now = new Date();
  $('replay-from').value = localInput(new Date(now.getTime() - 60 * 60000));
  $('replay-to').value = localInput(new Date(now.getTime() - 15 * 60000));
  refresh();
  refreshWebhooks();
  refreshStream();
  refreshAccounts().catch((err) => {
    $('connect-result').textContent = 'Accounts unavailable: ' + err.message;
  });
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', signIn);
  $('replay-form').addEventListener('submit', requestReplay);
  $('event-filter').addEventListener('submit', filterEvents);
  $('events-older').addEventListener('click', olderEvents);
  $('events-newer').addEventListener('click', newerEvents);
  $('range-hour').addEventListener('click', () => chooseRange('hour'));
  $('range-day').addEventListener('click', () => chooseRange('day'));
  $('rule-form').addEventListener('submit', (e) => {
    e.preventDefault();
    ruleFromForm(false);
  });
  $('rule-dry-run').addEventListener('click', () => ruleFromForm(true));
  $('link-form').addEventListener('submit', linkStream);
  $('connect-form').addEventListener('submit', connectAccount);
  $('sign-out').addEventListener('click', () => signOut());
  if (sessionStorage.getItem(TOKEN)) start();
});
