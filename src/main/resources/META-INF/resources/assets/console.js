// Web console behaviour that needs no library: job progress bars fed by GET /api/v1/jobs/{id},
// and the CSRF header on htmx requests.
(function () {
  const STATUS = { RUNNING: '进行中', DONE: '已完成', FAILED: '失败', CANCELLED: '已取消' };

  function seconds(s) {
    if (s == null) return '—';
    if (s < 60) return s + ' 秒';
    return Math.floor(s / 60) + ' 分 ' + (s % 60) + ' 秒';
  }

  function render(box, p) {
    box.querySelector('progress').value = p.percent;
    box.querySelector('[data-field=percent]').textContent = p.percent.toFixed(1) + '%';
    box.querySelector('[data-field=done]').textContent = p.done.toLocaleString('zh-CN') + ' / ' + p.total.toLocaleString('zh-CN');
    box.querySelector('[data-field=rate]').textContent = p.ratePerSecond == null ? '—' : p.ratePerSecond.toLocaleString('zh-CN') + ' 户/秒';
    box.querySelector('[data-field=eta]').textContent = p.status === 'RUNNING' ? seconds(p.etaSeconds) : '—';
    box.querySelector('[data-field=status]').textContent = STATUS[p.status] || p.status;
    box.dataset.status = p.status;
    const err = box.querySelector('[data-field=error]');
    if (err) err.textContent = p.error || '';
  }

  function poll(box) {
    fetch(box.dataset.jobProgress, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(r => r.ok ? r.json() : Promise.reject(r.status))
      .then(p => {
        render(box, p);
        if (p.status === 'RUNNING') setTimeout(() => poll(box), 1000);
      })
      .catch(() => {
        box.querySelector('[data-field=status]').textContent = '无法读取进度，请刷新页面';
      });
  }

  // htmx requests that change something carry the page's CSRF token as a header.
  document.addEventListener('htmx:configRequest', e => {
    const meta = document.querySelector('meta[name=csrf-token]');
    if (meta && e.detail.verb !== 'get') e.detail.headers['X-CSRF-Token'] = meta.content;
  });

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('[data-job-progress]').forEach(poll);
  });
})();

// Phones: the header's menu button opens and closes the navigation (and 退出).
(function () {
  const toggle = document.getElementById('menu-toggle');
  if (!toggle) return;
  toggle.addEventListener('click', () => {
    const open = document.getElementById('topbar').classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
})();

// Sessions that do not lose work (the layout's <meta name=session-timeout>, quarkus.http.auth.form.timeout):
// - a warning a few minutes before the session ends, with a button that renews it (GET /session);
// - what is typed into a form marked data-keep is kept in this tab's sessionStorage as it is typed; a form
//   submitted after the session ended is not posted but kept, the officer logs in again, comes back to the
//   page, finds the form restored and (when it had no files to choose again) submitted for them;
// - htmx requests after the end lead to the login page (the server answers HX-Redirect; if a login page
//   comes back anyway, it is not swapped into the page).
(function () {
  const meta = document.querySelector('meta[name=session-timeout]');
  const WARN_BEFORE = 5 * 60;
  let expiresAt = meta ? Date.now() + Number(meta.content) * 1000 : null;
  let timer = null;

  function banner() {
    let box = document.getElementById('session-warning');
    if (!box) {
      box = document.createElement('div');
      box.id = 'session-warning';
      box.className = 'session-warning';
      box.setAttribute('role', 'alert');
      box.innerHTML = '<span class="text"></span> <button type="button" class="primary" id="session-renew">继续工作</button>';
      document.body.appendChild(box);
      box.querySelector('button').addEventListener('click', renew);
    }
    return box;
  }

  function warn() {
    const box = banner();
    const minutes = Math.max(0, Math.round((expiresAt - Date.now()) / 60000));
    box.dataset.state = 'warning';
    box.querySelector('.text').textContent = '登录将在约 ' + minutes + ' 分钟后因长时间无操作而过期。正在填写的内容会保存在本机，不会丢失。';
    box.querySelector('button').textContent = '继续工作';
  }

  function expired() {
    const box = banner();
    box.dataset.state = 'expired';
    box.querySelector('.text').textContent = '登录已过期。已填写的内容保存在本机，提交时会先请您重新登录，登录后自动恢复。';
    box.querySelector('button').textContent = '重新登录';
  }

  function schedule() {
    if (!expiresAt) return;
    clearTimeout(timer);
    const left = expiresAt - Date.now();
    if (left <= 0) return expired();
    if (left <= WARN_BEFORE * 1000) {
      warn();
      timer = setTimeout(schedule, Math.min(left, 60000));
    } else {
      timer = setTimeout(schedule, left - WARN_BEFORE * 1000);
    }
  }

  function active() {
    return fetch('/session', { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(r => r.ok ? r.json() : { active: false })
      .catch(() => ({ active: true })); // offline: let the post itself decide
  }

  function relogin() {
    // Opening the page again without a session lets the server remember it and send the officer back after login.
    location.href = '/login?expired=true&back=' + encodeURIComponent(location.pathname + location.search);
  }

  function renew() {
    active().then(s => {
      if (!s.active) return relogin();
      expiresAt = Date.now() + s.timeoutSeconds * 1000;
      const box = document.getElementById('session-warning');
      if (box) box.remove();
      schedule();
    });
  }

  // ---- forms that keep what was typed ----
  function key(form) {
    return 'console-form:' + form.getAttribute('action');
  }

  function fields(form) {
    return Array.from(form.elements).filter(e => e.name && e.type !== 'hidden' && e.type !== 'submit' && e.type !== 'button');
  }

  function save(form, submitted) {
    const values = fields(form).filter(e => e.type !== 'file').map(e => ({
      name: e.name, index: fields(form).filter(x => x.name === e.name).indexOf(e),
      value: (e.type === 'checkbox' || e.type === 'radio') ? e.checked : e.value
    }));
    const files = fields(form).some(e => e.type === 'file' && e.files && e.files.length > 0);
    sessionStorage.setItem(key(form), JSON.stringify({ values, submitted: !!submitted, files, at: Date.now() }));
  }

  function restore(form) {
    const raw = sessionStorage.getItem(key(form));
    if (!raw) return;
    const saved = JSON.parse(raw);
    fields(form).forEach(e => {
      const index = fields(form).filter(x => x.name === e.name).indexOf(e);
      const v = saved.values.find(x => x.name === e.name && x.index === index);
      if (!v) return;
      if (e.type === 'checkbox' || e.type === 'radio') e.checked = v.value;
      else e.value = v.value;
    });
    const note = document.createElement('div');
    note.className = 'notice';
    note.id = 'form-restored';
    if (saved.submitted && !saved.files) {
      note.textContent = '已恢复登录过期前填写的内容，正在提交…';
      form.prepend(note);
      sessionStorage.setItem(key(form), JSON.stringify(Object.assign(saved, { submitted: false })));
      setTimeout(() => form.requestSubmit(form.querySelector('[type=submit]')), 300);
    } else {
      note.textContent = saved.files
        ? '已恢复登录过期前填写的内容；照片需要重新选择，核对后请再次提交。'
        : '已恢复上次未提交的内容，请核对后提交。';
      form.prepend(note);
    }
  }

  document.querySelectorAll('form[data-keep]').forEach(form => {
    restore(form);
    form.addEventListener('input', () => save(form, false));
    form.addEventListener('change', () => save(form, false));
    form.addEventListener('submit', e => {
      if (form.dataset.checked) return; // session confirmed just now: post for real
      e.preventDefault();
      e.stopImmediatePropagation();
      save(form, false);
      active().then(s => {
        // Only a form held back because the session ended is submitted again after the login.
        if (!s.active) {
          save(form, true);
          return relogin();
        }
        form.dataset.checked = 'true';
        form.requestSubmit(e.submitter || form.querySelector('[type=submit]'));
      });
    }, true);
  });
  // The server confirmed a kept form (its page says which): forget it.
  document.querySelectorAll('[data-form-done]').forEach(el => sessionStorage.removeItem('console-form:' + el.dataset.formDone));

  document.addEventListener('htmx:beforeSwap', e => {
    const url = e.detail.xhr && e.detail.xhr.responseURL;
    if (url && new URL(url).pathname === '/login') {
      e.detail.shouldSwap = false;
      location.href = '/login?expired=true';
    }
  });

  schedule();
  window.consoleSession = { warn, expired, renew, active };
})();
