// 规则管理 pages: glue between the server's fragments and CodeMirror / htmx (no logic of the rules here).
// - version page: one CodeMirror editor per file, a file list to switch between them, and every problem
//   the page lists (validation, scenario failures, a refused activation: rows with data-problem-*) marked
//   at its line: gutter marker, line highlight and the zh-CN message under the line;
// - htmx fragments answered with 4xx (refused activation, bad input) are shown, not dropped;
// - simulation page: reloads when its job ends, so the result is rendered;
// - diff page: each unified diff in a read-only CodeMirror (diff mode).
(function () {
  const editors = {};
  window.ruleEditors = editors;
  let marks = [];

  function fileTabs(path) {
    return Array.from(document.querySelectorAll('.file-tab')).filter(a => path === undefined || a.dataset.file === path);
  }

  function show(path) {
    const cm = editors[path];
    if (!cm) return null;
    document.querySelectorAll('.editor-file').forEach(d => { d.hidden = d.dataset.file !== path; });
    fileTabs().forEach(a => a.classList.toggle('active', a.dataset.file === path));
    cm.refresh();
    return cm;
  }
  window.showRuleFile = show;

  function jump(path, line, column) {
    const cm = show(path);
    if (!cm || !line) return;
    const l = Math.min(Math.max(line - 1, 0), cm.lineCount() - 1);
    cm.setCursor({ line: l, ch: column ? column - 1 : 0 });
    cm.scrollIntoView({ line: l, ch: 0 }, 120);
    cm.getWrapperElement().scrollIntoView({ block: 'nearest' });
    cm.focus();
  }

  function initEditors() {
    document.querySelectorAll('textarea.rule-source').forEach(ta => {
      const cm = CodeMirror.fromTextArea(ta, {
        mode: ta.dataset.mode, readOnly: ta.dataset.readonly === 'true', lineNumbers: true,
        indentUnit: 4, tabSize: 4, gutters: ['rule-markers', 'CodeMirror-linenumbers']
      });
      const path = ta.dataset.file;
      editors[path] = cm;
      const initial = cm.getValue();
      cm.on('change', () => {
        fileTabs(path).forEach(a => { a.querySelector('.file-modified').hidden = cm.getValue() === initial; });
      });
    });
    fileTabs().forEach(a => a.addEventListener('click', e => { e.preventDefault(); show(a.dataset.file); }));
    // Leaving the page with unsaved edits asks first; saving them does not.
    const unsaved = e => {
      if (document.querySelector('.file-modified:not([hidden])')) { e.preventDefault(); e.returnValue = ''; }
    };
    window.addEventListener('beforeunload', unsaved);
    const form = document.getElementById('save-form');
    if (form) form.addEventListener('submit', () => window.removeEventListener('beforeunload', unsaved));
    const first = fileTabs()[0];
    if (first) show(first.dataset.file);
  }

  // Every problem row on the page, once each.
  function problems() {
    const seen = new Set();
    const out = [];
    document.querySelectorAll('[data-problem-file]').forEach(row => {
      const file = row.dataset.problemFile;
      const line = parseInt(row.dataset.problemLine, 10);
      if (!file || !line) return;
      const p = { file, line, column: parseInt(row.dataset.problemColumn, 10) || null,
                  level: row.dataset.problemLevel === 'WARNING' ? 'WARNING' : 'ERROR', message: row.dataset.problemMessage || '' };
      // One note per line: a scenario's failure and the refused activation naming it say the same thing.
      const key = p.file + '|' + p.line + '|' + p.level;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(p);
    });
    return out;
  }

  function clearMarks() {
    marks.forEach(m => {
      m.cm.setGutterMarker(m.line, 'rule-markers', null);
      m.cm.removeLineClass(m.line, 'background', 'rule-line-ERROR');
      m.cm.removeLineClass(m.line, 'background', 'rule-line-WARNING');
      m.widget.clear();
    });
    marks = [];
  }

  function applyProblems() {
    if (Object.keys(editors).length === 0) return;
    clearMarks();
    const counts = {};
    let firstError = null;
    problems().forEach(p => {
      const cm = editors[p.file];
      if (!cm) return;
      const line = Math.min(p.line - 1, cm.lineCount() - 1);
      const existing = cm.lineInfo(line).gutterMarkers;
      if (!existing || !existing['rule-markers'] || p.level === 'ERROR') {
        const marker = document.createElement('span');
        marker.className = 'rule-marker level-' + p.level;
        marker.textContent = p.level === 'ERROR' ? '✖' : '▲';
        marker.title = p.message;
        cm.setGutterMarker(line, 'rule-markers', marker);
      }
      cm.addLineClass(line, 'background', 'rule-line-' + p.level);
      const note = document.createElement('div');
      note.className = 'rule-line-message level-' + p.level;
      note.textContent = (p.level === 'ERROR' ? '错误' : '警告') + '（第 ' + p.line + ' 行' + (p.column ? '第 ' + p.column + ' 列' : '') + '）：' + p.message;
      marks.push({ cm, line, widget: cm.addLineWidget(line, note, { coverGutter: false, noHScroll: true }) });
      const c = counts[p.file] || (counts[p.file] = { errors: 0, warnings: 0 });
      if (p.level === 'ERROR') c.errors++; else c.warnings++;
      if (p.level === 'ERROR' && !firstError) firstError = p;
    });
    fileTabs().forEach(a => {
      const c = counts[a.dataset.file];
      const badge = a.querySelector('.file-count');
      badge.hidden = !c;
      if (c) {
        badge.textContent = c.errors ? c.errors : c.warnings;
        badge.classList.toggle('warnings', !c.errors);
        badge.title = c.errors + ' 个错误，' + c.warnings + ' 个警告';
      }
    });
    if (firstError) jump(firstError.file, firstError.line, firstError.column);
  }

  document.addEventListener('click', e => {
    const row = e.target.closest('[data-problem-file], [data-problem-jump]');
    if (!row || e.target.closest('a[href]:not([href="#"]), details')) return;
    const file = row.dataset.problemFile || row.dataset.file;
    const line = parseInt(row.dataset.problemLine || row.dataset.line, 10);
    if (file && editors[file]) {
      e.preventDefault();
      jump(file, line, parseInt(row.dataset.problemColumn, 10) || null);
    }
  });

  // A refused activation (422), a bad comment (400) or a conflict (409) comes back as an HTML fragment: show it.
  document.addEventListener('htmx:beforeSwap', e => {
    const xhr = e.detail.xhr;
    // The session ended: the request was sent to the login page; go there instead of showing it inside this page.
    if (xhr.responseURL && new URL(xhr.responseURL).pathname === '/login') {
      e.detail.shouldSwap = false;
      location.href = '/login';
      return;
    }
    const type = xhr.getResponseHeader('Content-Type') || '';
    if (xhr.status >= 400 && xhr.status < 500 && type.indexOf('text/html') === 0) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener('htmx:afterSwap', applyProblems);
  document.addEventListener('htmx:responseError', e => {
    const target = e.detail.target;
    if (target) target.innerHTML = '<div class="alert">服务器出错（' + e.detail.xhr.status + '），操作可能未完成；请刷新页面查看当前状态。</div>';
  });
  document.addEventListener('htmx:sendError', e => {
    const target = e.detail.target;
    if (target) target.innerHTML = '<div class="alert">无法连接服务器，操作未执行；请检查网络后重试。</div>';
  });

  function watchSimulation() {
    const card = document.getElementById('simulation-card');
    if (!card || card.dataset.initialStatus !== 'RUNNING') return;
    const box = card.querySelector('[data-job-progress]');
    new MutationObserver(() => {
      if (box.dataset.status !== 'RUNNING') location.reload();
    }).observe(box, { attributes: true, attributeFilter: ['data-status'] });
  }

  function initDiffs() {
    document.querySelectorAll('textarea.diff-source').forEach(ta => {
      const cm = CodeMirror.fromTextArea(ta, { mode: 'diff', readOnly: true, lineNumbers: false, viewportMargin: Infinity });
      cm.eachLine(h => {
        const t = h.text;
        if (t.startsWith('+') && !t.startsWith('+++')) cm.addLineClass(h, 'background', 'diff-added');
        else if (t.startsWith('-') && !t.startsWith('---')) cm.addLineClass(h, 'background', 'diff-removed');
      });
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    // After "save" or "upload" the page is the answer to a POST: show the version's own address, so a reload does not post again.
    const card = document.getElementById('version-card');
    if (card && card.dataset.url && location.pathname !== card.dataset.url) history.replaceState(null, '', card.dataset.url);
    if (window.CodeMirror) {
      initEditors();
      initDiffs();
      applyProblems();
    }
    watchSimulation();
  });
})();
