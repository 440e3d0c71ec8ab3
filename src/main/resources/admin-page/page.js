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
  const [events, gaps, replays, parked, recoveries] = await Promise.all([
    api('GET', '/admin/events?limit=20'),
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
