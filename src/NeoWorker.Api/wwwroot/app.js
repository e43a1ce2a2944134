// NeoWorker operations dashboard: plain JavaScript, no framework, no build step.
//
// Rules this file keeps:
// - Everything a job or the API says is untrusted: it reaches the page only as text
//   (textContent, createTextNode), never parsed as HTML; no HTML-parsing sink is used at all.
// - The API key lives in sessionStorage (this tab only), is sent as X-Api-Key, and never
//   appears in a URL.
// - With any number of jobs, a refresh costs one page of the list (limit <= 100), the stats,
//   and the open job: nothing here ever walks the whole table.
'use strict';

(() => {
  const KEY_STORAGE = 'neoworker.apiKey';
  const STATES = ['Queued', 'Running', 'Succeeded', 'Failed', 'TimedOut', 'Faulted', 'Canceled'];
  const ACTIVE = new Set(['Queued', 'Running']);
  const REFRESH_MS = 5000;
  const MAX_BACKOFF_MS = 60000;
  const MAX_LIMIT = 100;
  const STATS_WINDOW_MINUTES = 60;

  const $ = (id) => document.getElementById(id);

  const state = {
    key: null,
    me: null,
    filters: {},
    limit: 25,
    cursors: [null], // cursors[i] fetches page i + 1; the last one is the page shown
    nextCursor: null,
    items: [],
    selectedId: null,
    selectedJob: null,
    verdicts: new Map(), // jobId -> verification answer (a finished job's proof does not change)
    paused: false,
    timer: null,
    backoffMs: 0,
    backoffSince: 0,
    listSeq: 0,
    detailSeq: 0,
    refreshing: false,
    lastRefresh: null,
  };

  class ApiError extends Error {
    constructor(status, message, problem) {
      super(message);
      this.status = status;
      this.problem = problem;
    }
  }

  // ------------------------------------------------------------------ DOM helpers (text only)

  function el(tag, options, ...children) {
    const node = document.createElement(tag);
    if (options) {
      if (options.className) node.className = options.className;
      if (options.title) node.title = options.title;
      if (options.dataset) Object.assign(node.dataset, options.dataset);
      if (options.type) node.type = options.type;
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setText(node, text) {
    node.textContent = text === null || text === undefined ? '' : String(text);
  }

  let messageTimer = null;

  // kind: error (stays until a refresh succeeds), warning, info (these fade after a while).
  function showMessage(text, kind) {
    const box = $('message');
    clearTimeout(messageTimer);
    if (!text) {
      box.hidden = true;
      setText(box, '');
      return;
    }
    box.className = 'message ' + (kind || 'error');
    setText(box, text);
    box.hidden = false;
    if (kind === 'info') messageTimer = setTimeout(() => showMessage(null), 8000);
  }

  function pad(n, width) {
    return String(n).padStart(width || 2, '0');
  }

  // Local time, to the second; the exact UTC instant is in the title.
  function formatTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function timeCell(iso, extraClass) {
    return el('td', { className: extraClass ? 'time ' + extraClass : 'time', title: iso || '' }, formatTime(iso));
  }

  function formatMs(ms) {
    if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '—';
    const n = Number(ms);
    if (n < 1000) return `${Math.round(n)} ms`;
    if (n < 120000) return `${(n / 1000).toFixed(2)} s`;
    return `${(n / 60000).toFixed(1)} min`;
  }

  function between(fromIso, toIso) {
    if (!fromIso || !toIso) return null;
    const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
    return Number.isNaN(ms) ? null : ms;
  }

  function statusBadge(status) {
    return el('span', { className: 'status status-' + (STATES.includes(status) ? status : 'unknown') }, status || '?');
  }

  function fillFacts(dl, rows) {
    const nodes = [];
    for (const [name, value, title] of rows) {
      nodes.push(el('dt', null, name));
      const dd = el('dd', title ? { title } : null, value === null || value === undefined || value === '' ? '—' : value);
      nodes.push(dd);
    }
    dl.replaceChildren(...nodes);
  }

  function pretty(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') {
      try {
        return JSON.stringify(JSON.parse(value), null, 2);
      } catch {
        return value;
      }
    }
    return JSON.stringify(value, null, 2);
  }

  // ------------------------------------------------------------------ API

  async function api(path, options) {
    const opts = options || {};
    const headers = { 'X-Api-Key': state.key, Accept: 'application/json' };
    const init = { method: opts.method || 'GET', headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, `The API cannot be reached (${e.message}).`);
    }
    if (response.ok) {
      if (response.status === 204) return null;
      return response.json();
    }
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not JSON: the status line says enough
    }
    let detail = problem && (problem.detail || problem.title);
    if (problem && problem.errors && typeof problem.errors === 'object') {
      // validation problems name their fields: say which and why
      const fields = Object.entries(problem.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
      if (fields.length) detail = `${detail ? detail + ' ' : ''}${fields.join('; ')}`;
    }
    const error = new ApiError(response.status, `${opts.method || 'GET'} ${path.split('?')[0]}: HTTP ${response.status}${detail ? ' — ' + detail : ''}`, problem);
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      error.retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0;
    }
    throw error;
  }

  // Every failed call ends here: 401 asks for the key again, 429 slows the refresh down.
  function handleError(error) {
    if (error.status === 401) {
      forgetKey('The API refused this key (401). Enter a valid API key.');
      return;
    }
    if (error.status === 429) {
      // Several requests refused at the same moment are one refusal: the delay doubles only when
      // the API still refuses after the previous delay has passed.
      const now = Date.now();
      const stillWaiting = state.backoffMs && now - state.backoffSince < state.backoffMs;
      const next = stillWaiting ? state.backoffMs : state.backoffMs ? state.backoffMs * 2 : REFRESH_MS * 2;
      state.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(error.retryAfterMs || 0, next));
      if (!stillWaiting) state.backoffSince = now;
      showMessage(`The API is rate limiting this dashboard (429); next refresh in ${Math.round(state.backoffMs / 1000)} s.`, 'warning');
      renderRefreshState();
      if (state.timer) scheduleRefresh(); // the pending refresh waits the longer delay too
      return;
    }
    if (error.status === 403) {
      showMessage(`Not allowed with this key (403). ${error.message}`);
      return;
    }
    showMessage(error.message || String(error));
  }

  // ------------------------------------------------------------------ session

  function storedKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE);
    } catch {
      return null;
    }
  }

  function showLogin(reason) {
    stopTimer();
    $('dashboard').hidden = true;
    $('session').hidden = true;
    $('login').hidden = false;
    const why = $('login-reason');
    setText(why, reason || '');
    why.hidden = !reason;
    $('api-key').value = '';
    $('api-key').focus();
  }

  function forgetKey(reason) {
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      // storage unavailable: nothing to forget
    }
    state.key = null;
    state.me = null;
    state.verdicts.clear();
    closeDetail();
    showMessage(null);
    showLogin(reason);
  }

  async function connect(key) {
    state.key = key;
    try {
      state.me = await api('/api/v1/me');
    } catch (error) {
      state.key = null;
      showLogin(error.status === 401 ? 'The API refused this key (401). Check it and try again.' : error.message);
      return;
    }
    try {
      sessionStorage.setItem(KEY_STORAGE, key);
    } catch {
      // private mode without storage: the key lives in memory for this page only
    }
    $('login').hidden = true;
    $('session').hidden = false;
    $('dashboard').hidden = false;
    const isOps = state.me.role === 'ops';
    setText($('whoami'), `${state.me.userId} (${state.me.role})`);
    $('filter-user-label').hidden = !isOps;
    if (!isOps) $('filter-user').value = '';
    showMessage(null);
    readFilters();
    resetPaging();
    renderStats(null); // the cards are there (as —) while, or if, the stats cannot be had
    await refresh();
  }

  // ------------------------------------------------------------------ filters and paging

  function localToIso(value) {
    if (!value) return null;
    const d = new Date(value); // datetime-local: the browser's time zone
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }

  function readFilters() {
    const statuses = STATES.filter((s) => $('status-' + s).checked);
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number($('filter-limit').value) || 25));
    state.limit = limit;
    state.filters = {
      status: statuses,
      functionId: $('filter-function').value.trim(),
      userId: state.me && state.me.role === 'ops' ? $('filter-user').value.trim() : '',
      from: localToIso($('filter-from').value),
      to: localToIso($('filter-to').value),
    };
  }

  function resetPaging() {
    state.cursors = [null];
    state.nextCursor = null;
  }

  function listUrl() {
    const q = new URLSearchParams();
    const f = state.filters;
    if (f.status.length) q.set('status', f.status.join(','));
    if (f.functionId) q.set('functionId', f.functionId);
    if (f.userId) q.set('userId', f.userId);
    if (f.from) q.set('from', f.from);
    if (f.to) q.set('to', f.to);
    q.set('limit', String(state.limit));
    const cursor = state.cursors[state.cursors.length - 1];
    if (cursor) q.set('cursor', cursor);
    return '/api/v1/jobs?' + q.toString();
  }

  // ------------------------------------------------------------------ rendering

  function renderStats(stats) {
    const counts = (stats && stats.counts) || {};
    const cards = STATES.map((s) => {
      const card = el('button', { className: 'count status-card status-' + s, type: 'button', dataset: { state: s }, title: `Show only ${s} jobs` },
        el('span', { className: 'count-name' }, s),
        el('span', { className: 'count-value', dataset: { count: s } }, stats ? String(counts[s] ?? 0) : '—'));
      card.id = 'count-' + s;
      card.addEventListener('click', () => filterOnly(s));
      return card;
    });
    const total = el('div', { className: 'count total' },
      el('span', { className: 'count-name' }, 'Total'),
      el('span', { className: 'count-value', dataset: { count: 'total' } }, String(stats && stats.total !== undefined ? stats.total : '—')));
    total.id = 'count-total';
    $('counts').replaceChildren(...cards, total);

    const perMinute = (stats && stats.completionsPerMinute) || [];
    const completions = perMinute.reduce((sum, m) => sum + (Number(m.count) || 0), 0);
    const exec = (stats && stats.executionTimeMs) || {};
    const window = (stats && stats.windowMinutes) || STATS_WINDOW_MINUTES;
    setText($('rate-summary'),
      `Last ${window} min: ${completions} finished` +
      ` · execution time p50 ${exec.p50 === null || exec.p50 === undefined ? '—' : formatMs(exec.p50)}` +
      `, p95 ${exec.p95 === null || exec.p95 === undefined ? '—' : formatMs(exec.p95)}` +
      (exec.count !== undefined ? ` (${exec.count} jobs)` : ''));

    // One bar per minute of the window, minutes without completions included (the API lists only the others).
    const byMinute = new Map();
    for (const p of perMinute) {
      const t = new Date(p.minute).getTime();
      if (!Number.isNaN(t)) byMinute.set(Math.floor(t / 60000), Number(p.count) || 0);
    }
    const now = Math.floor(Date.now() / 60000);
    const slots = [];
    for (let m = now - window + 1; m <= now; m++) slots.push([m, byMinute.get(m) || 0]);
    const max = slots.reduce((top, [, count]) => Math.max(top, count), 0);
    const bars = slots.map(([minute, count]) => {
      const bar = el('span', { className: count ? 'bar' : 'bar idle', title: `${formatTime(new Date(minute * 60000).toISOString()).slice(11, 16)}: ${count} finished` });
      bar.style.height = max && count ? `${Math.max(4, Math.round((count / max) * 100))}%` : '1px';
      return bar;
    });
    $('rate-chart').replaceChildren(...bars);
  }

  function renderJobs() {
    const rows = state.items.map((job) => {
      // Job ids are time-ordered (UUIDv7): jobs of the same moment share the head, so show both ends.
      const id = String(job.jobId);
      const open = el('button', { className: 'link job-link', type: 'button', title: id }, `${id.slice(0, 8)}…${id.slice(-6)}`);
      const tr = el('tr', { dataset: { jobId: job.jobId, status: job.status } },
        timeCell(job.requestedAt),
        el('td', null, open),
        el('td', { className: 'ellipsis', title: job.functionId }, job.functionId),
        el('td', { className: 'ellipsis', title: job.userId }, job.userId),
        el('td', null, statusBadge(job.status)),
        el('td', { className: 'col-error' }, job.errorCode || ''),
        el('td', { className: 'num' }, job.executionTimeMs === null || job.executionTimeMs === undefined ? '' : String(job.executionTimeMs)),
        el('td', { className: 'num col-attempts' }, String(job.attempts ?? '')),
        timeCell(job.completedAt, 'col-completed'));
      if (job.jobId === state.selectedId) tr.classList.add('selected');
      tr.addEventListener('click', () => openDetail(job.jobId));
      return tr;
    });
    $('jobs-body').replaceChildren(...rows);
    $('jobs-empty').hidden = rows.length > 0;
    const page = state.cursors.length;
    setText($('page-label'), `Page ${page}`);
    $('prev-page').disabled = page <= 1;
    $('next-page').disabled = !state.nextCursor;
  }

  function renderRefreshState() {
    const when = state.lastRefresh ? `updated ${formatTime(state.lastRefresh.toISOString()).slice(11)}` : '';
    const mode = state.paused ? 'auto-refresh paused' : `auto-refresh every ${Math.round((state.backoffMs || REFRESH_MS) / 1000)} s`;
    setText($('refresh-state'), [when, mode].filter(Boolean).join(' · '));
    setText($('refresh-toggle'), state.paused ? 'Resume auto-refresh' : 'Pause auto-refresh');
  }

  // ------------------------------------------------------------------ loading

  async function loadStats() {
    renderStats(await api(`/api/v1/jobs/stats?windowMinutes=${STATS_WINDOW_MINUTES}`));
  }

  async function loadJobs() {
    const seq = ++state.listSeq;
    const page = await api(listUrl());
    if (seq !== state.listSeq) return; // a newer request (filter change, paging) superseded this one
    state.items = (page && page.items) || [];
    state.nextCursor = (page && page.nextCursor) || null;
    renderJobs();
  }

  async function refresh() {
    if (!state.key || state.refreshing) return;
    state.refreshing = true;
    const startedAt = Date.now();
    stopTimer();
    let failed = null;
    const tasks = [loadStats(), loadJobs()];
    const open = state.selectedJob;
    if (state.selectedId && (!open || ACTIVE.has(open.status) || (open.proof && !state.verdicts.has(open.jobId)))) {
      tasks.push(loadDetail(state.selectedId));
    }
    const results = await Promise.allSettled(tasks);
    for (const r of results) {
      if (r.status === 'rejected' && !failed) failed = r.reason;
    }
    state.refreshing = false;
    if (!state.key) return; // a 401 while loading signed us out
    if (failed) {
      handleError(failed);
    } else if (!state.backoffMs || startedAt >= state.backoffSince) {
      // (a refresh that began before a 429 says nothing about whether the API answers again)
      if (state.backoffMs) showMessage(null);
      state.backoffMs = 0;
      const box = $('message');
      if (!box.hidden && box.classList.contains('error')) showMessage(null);
      state.lastRefresh = new Date();
    }
    if (!state.key) return;
    renderRefreshState();
    scheduleRefresh();
  }

  function stopTimer() {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
  }

  function scheduleRefresh() {
    stopTimer();
    if (state.paused || !state.key) return;
    state.timer = setTimeout(() => {
      state.timer = null;
      if (document.hidden) {
        scheduleRefresh(); // a background tab does not poll
        return;
      }
      refresh();
    }, state.backoffMs || REFRESH_MS);
  }

  // ------------------------------------------------------------------ detail

  async function openDetail(jobId) {
    state.selectedId = jobId;
    state.selectedJob = null;
    for (const tr of $('jobs-body').querySelectorAll('tr')) {
      tr.classList.toggle('selected', tr.dataset.jobId === jobId);
    }
    $('detail').hidden = false;
    setText($('detail-job-id'), jobId);
    setText($('detail-status'), 'loading…');
    $('detail-status').className = 'status';
    try {
      await loadDetail(jobId);
    } catch (error) {
      handleError(error);
    }
  }

  function closeDetail() {
    state.selectedId = null;
    state.selectedJob = null;
    state.detailSeq++;
    $('detail').hidden = true;
    for (const tr of $('jobs-body').querySelectorAll('tr.selected')) tr.classList.remove('selected');
  }

  async function loadDetail(jobId) {
    const seq = ++state.detailSeq;
    const job = await api(`/api/v1/jobs/${encodeURIComponent(jobId)}`);
    if (seq !== state.detailSeq || state.selectedId !== jobId) return;
    state.selectedJob = job;
    renderDetail(job);
    if (job.proof && !ACTIVE.has(job.status)) {
      await verifyProof(job, seq);
    } else {
      renderProof(job, null);
    }
  }

  function renderDetail(job) {
    setText($('detail-job-id'), job.jobId);
    const status = $('detail-status');
    status.className = 'status status-' + (STATES.includes(job.status) ? job.status : 'unknown');
    setText(status, job.status);
    $('cancel-job').hidden = !ACTIVE.has(job.status);
    $('cancel-job').disabled = false;

    fillFacts($('detail-summary'), [
      ['Function', job.functionId],
      ['User', job.userId],
      ['Status', job.status],
      ['Error code', job.errorCode],
      ['Attempts', job.attempts === undefined ? null : String(job.attempts)],
      ['Enclave', job.enclaveId],
      ['Gas used', job.gasUsed === null || job.gasUsed === undefined ? null : String(job.gasUsed)],
      ['Code SHA-256', job.codeSha256],
    ]);
    fillFacts($('detail-timings'), [
      ['Requested', formatTime(job.requestedAt), job.requestedAt],
      ['Started', formatTime(job.startedAt), job.startedAt],
      ['Completed', formatTime(job.completedAt), job.completedAt],
      ['Waited in queue', formatMs(between(job.requestedAt, job.startedAt))],
      ['Started → completed', formatMs(between(job.startedAt, job.completedAt))],
      ['Execution time', formatMs(job.executionTimeMs)],
    ]);

    const hasError = Boolean(job.error || job.errorCode);
    $('detail-error-section').hidden = !hasError;
    setText($('detail-error'), hasError ? [job.errorCode, job.error].filter(Boolean).join(': ') : '');
    setText($('detail-result'), job.result === null || job.result === undefined ? '(no result)' : pretty(job.result));
    setText($('detail-logs'), job.logs ? job.logs : '(no logs)');
    $('detail-logs-truncated').hidden = !job.logsTruncated;
  }

  async function verifyProof(job, seq) {
    let verdict = state.verdicts.get(job.jobId);
    if (!verdict) {
      renderProof(job, 'pending');
      try {
        verdict = await api('/api/v1/attestation/verify', { method: 'POST', body: { jobId: job.jobId, proof: job.proof } });
      } catch (error) {
        if (seq === state.detailSeq) renderProof(job, { failedToVerify: error.message });
        throw error; // shown by the caller; the next refresh asks again
      }
      state.verdicts.set(job.jobId, verdict);
    }
    if (seq !== state.detailSeq || state.selectedId !== job.jobId) return;
    renderProof(job, verdict);
  }

  function renderProof(job, verdict) {
    const verdictNode = $('proof-verdict');
    const simulated = $('proof-simulated');
    const reasons = $('proof-reasons');
    const checks = $('proof-checks');
    const evidence = $('proof-evidence');
    reasons.replaceChildren();
    checks.replaceChildren();
    evidence.replaceChildren();
    simulated.hidden = true;
    $('proof-simulated-note').hidden = true;
    setText($('proof-statement'), job.proof ? pretty(job.proof.statement) : '');
    $('proof-details').hidden = !verdict || verdict === 'pending' || Boolean(verdict.failedToVerify);

    if (!job.proof) {
      verdictNode.className = 'verdict none';
      setText(verdictNode, ACTIVE.has(job.status) ? 'No proof yet (the job has not finished)' : 'No proof stored for this job');
      return;
    }
    if (verdict === 'pending' || !verdict) {
      verdictNode.className = 'verdict none';
      setText(verdictNode, 'Verifying…');
      return;
    }
    if (verdict.failedToVerify) {
      verdictNode.className = 'verdict none';
      setText(verdictNode, `Not checked yet: ${verdict.failedToVerify}`);
      return;
    }
    verdictNode.className = 'verdict ' + (verdict.valid ? 'valid' : 'invalid');
    setText(verdictNode, verdict.valid ? '✔ Verified' : '✘ Not verified');
    simulated.hidden = !verdict.simulated;
    $('proof-simulated-note').hidden = !verdict.simulated;
    $('proof-details').open = !verdict.valid; // what failed is the first thing to read
    for (const reason of verdict.reasons || []) reasons.append(el('li', null, reason));
    for (const check of verdict.checks || []) {
      checks.append(el('tr', { className: check.passed ? 'passed' : 'failed' },
        el('td', null, check.name),
        el('td', null, check.passed ? 'passed' : 'FAILED'),
        el('td', null, check.detail || '')));
    }
    const e = verdict.evidence;
    if (e) {
      fillFacts(evidence, [
        ['MRENCLAVE', e.mrEnclave],
        ['MRSIGNER', e.mrSigner],
        ['TCB status', e.tcbStatus],
        ['Advisories', (e.advisories || []).join(', ') || 'none'],
        ['Simulated', e.simulated ? 'yes' : 'no'],
        ['Debug enclave', e.debug ? 'yes' : 'no'],
      ]);
    }
  }

  async function cancelSelected() {
    const job = state.selectedJob;
    if (!job) return;
    const button = $('cancel-job');
    button.disabled = true;
    try {
      // 200: canceled; 202: a running job is being stopped (the refresh shows how it ends).
      const view = await api(`/api/v1/jobs/${encodeURIComponent(job.jobId)}/cancel`, { method: 'POST' });
      showMessage(view && view.status === 'Canceled'
        ? `Job ${job.jobId} canceled.`
        : `Cancel requested for job ${job.jobId}; it is being stopped.`, 'info');
      if (view && view.jobId === state.selectedId) {
        state.selectedJob = view;
        renderDetail(view);
        renderProof(view, null);
      }
    } catch (error) {
      if (error.status === 409) {
        const finished = error.problem && error.problem.status && typeof error.problem.status === 'string' ? ` (${error.problem.status})` : '';
        showMessage(`Job ${job.jobId} had already finished${finished}; nothing to cancel.`, 'warning');
      } else {
        handleError(error);
      }
    } finally {
      button.disabled = false;
      if (state.selectedId) {
        loadDetail(state.selectedId).catch(handleError);
      }
      loadJobs().catch(handleError);
      loadStats().catch(handleError);
    }
  }

  // ------------------------------------------------------------------ events

  function filterOnly(status) {
    for (const s of STATES) $('status-' + s).checked = s === status;
    applyFilters();
  }

  function applyFilters() {
    readFilters();
    resetPaging();
    loadJobs().catch(handleError);
  }

  function buildStatusOptions() {
    const labels = STATES.map((s) => {
      const box = el('input', { type: 'checkbox' });
      box.id = 'status-' + s;
      box.value = s;
      box.addEventListener('change', applyFilters);
      const label = el('label', { className: 'status-option' }, box, ' ', statusBadge(s));
      return label;
    });
    $('status-options').replaceChildren(...labels);
  }

  function wire() {
    buildStatusOptions();
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = $('api-key').value.trim();
      if (key) connect(key);
    });
    $('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      applyFilters();
    });
    $('filter-limit').addEventListener('change', applyFilters);
    $('clear-filters').addEventListener('click', () => {
      $('filters').reset();
      applyFilters();
    });
    $('next-page').addEventListener('click', () => {
      if (!state.nextCursor) return;
      state.cursors.push(state.nextCursor);
      loadJobs().catch(handleError);
    });
    $('prev-page').addEventListener('click', () => {
      if (state.cursors.length <= 1) return;
      state.cursors.pop();
      loadJobs().catch(handleError);
    });
    $('refresh-toggle').addEventListener('click', () => {
      state.paused = !state.paused;
      renderRefreshState();
      if (state.paused) stopTimer();
      else refresh();
    });
    $('refresh-now').addEventListener('click', () => refresh());
    $('forget-key').addEventListener('click', () => forgetKey('Key forgotten. Enter an API key to continue.'));
    $('close-detail').addEventListener('click', closeDetail);
    $('cancel-job').addEventListener('click', cancelSelected);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !$('detail').hidden) closeDetail();
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && state.key && !state.paused && !state.refreshing) refresh();
    });
  }

  function start() {
    wire();
    const key = storedKey();
    if (key) connect(key);
    else showLogin(null);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
