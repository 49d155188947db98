// 抽查计划 and 检查任务 pages: a busy note while a form that takes a few seconds (drawing a plan,
// recording a result and regrading) is being answered, and no second submission meanwhile.
(function () {
  document.querySelectorAll('form[data-busy]').forEach(form => {
    form.addEventListener('submit', e => {
      const button = e.submitter;
      // The preview button is handled by htmx (no page change); only real submissions lock the form.
      if (button && button.hasAttribute('hx-post')) return;
      if (form.dataset.submitting) {
        e.preventDefault();
        return;
      }
      form.dataset.submitting = 'true';
      let note = form.querySelector('.busy-note');
      if (!note) {
        note = document.createElement('div');
        note.className = 'notice busy-note';
        form.appendChild(note);
      }
      note.textContent = form.dataset.busy;
    });
  });
})();

// The photo picker shows which photos were chosen (the native file input is hidden behind a Chinese label).
(function () {
  const input = document.getElementById('r-photos');
  const names = document.getElementById('photo-names');
  if (!input || !names) return;
  input.addEventListener('change', () => {
    const files = Array.from(input.files || []);
    names.textContent = files.length === 0 ? names.dataset.none
      : '已选择 ' + files.length + ' 张：' + files.map(f => f.name).join('、');
  });
})();
