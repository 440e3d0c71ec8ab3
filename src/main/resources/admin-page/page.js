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
    throw new Error((json && (json.detail || json.title)) || 'HTTP ' + response.status);
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
  const [events, gaps, replays, parked] = await Promise.all([
    api('GET', '/admin/events?limit=20'),
    api('GET', '/admin/gaps?limit=20'),
    api('GET', '/admin/replays?limit=20'),
    api('GET', '/admin/outbox/parked'),
  ]);
  fill('events', events.items, (row, e) => {
    cell(row, when(e.recordedAt));
    cell(row, e.type);
    cell(row, e.accountId);
    cell(row, e.key);
  });
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

async function refresh() {
  try {
    await Promise.all([refreshStatus(), refreshTables()]);
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
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', signIn);
  $('replay-form').addEventListener('submit', requestReplay);
  $('sign-out').addEventListener('click', () => signOut());
  if (sessionStorage.getItem(TOKEN)) start();
});
