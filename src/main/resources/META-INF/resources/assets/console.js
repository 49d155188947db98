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
