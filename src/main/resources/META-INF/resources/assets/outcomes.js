// 成效看板 charts: hit rate per grade, squads' observed vs expected findings, cases and fines per month, grade shares vs target.
(function () {
  const r = JSON.parse(document.getElementById('chart-data').textContent);
  const COLORS = { RED: '#d0342c', YELLOW: '#d9a400', GREEN: '#2e9d4f', UNGRADED: '#999999' };
  const pct = v => v == null ? null : Math.round(v * 1000) / 10;

  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption(option);
    window.addEventListener('resize', () => c.resize());
  }

  chart('chart-grade', {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 50, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: r.byGrade.map(g => g.name) },
    yAxis: [{ type: 'value', name: '命中率（%）' }, { type: 'value', name: '检查次数', splitLine: { show: false } }],
    series: [
      { name: '命中率（%）', type: 'bar', data: r.byGrade.map(g => ({ value: pct(g.hitRate), itemStyle: { color: COLORS[g.key] } })) },
      { name: '检查次数', type: 'line', yAxisIndex: 1, data: r.byGrade.map(g => g.visits) }
    ]
  });

  chart('chart-squad', {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 90 },
    xAxis: { type: 'category', data: r.bySquad.map(s => s.name), axisLabel: { rotate: 35, interval: 0 } },
    yAxis: { type: 'value', name: '发现问题（次）' },
    series: [
      { name: '实际', type: 'bar', data: r.bySquad.map(s => s.problemVisits) },
      { name: '按等级预期', type: 'bar', data: r.bySquad.map(s => s.expectedProblemVisits) }
    ]
  });

  const months = [...new Set(r.casesByStreetMonth.map(x => x.month))].sort();
  const sum = (m, f) => r.casesByStreetMonth.filter(x => x.month === m).reduce((a, x) => a + x[f], 0);
  chart('chart-cases', {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 70, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: [{ type: 'value', name: '案件（件）', minInterval: 1 }, { type: 'value', name: '罚款（元）', splitLine: { show: false } }],
    series: [
      { name: '案件', type: 'bar', data: months.map(m => sum(m, 'cases')) },
      { name: '罚款（元）', type: 'line', yAxisIndex: 1, data: months.map(m => sum(m, 'fineYuan')) }
    ]
  });

  const target = {};
  r.gradeShares.forEach(g => { target[g.grade] = g.targetPercent; });
  chart('chart-shares', {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: r.gradeShareTrend.map(p => p.day) },
    yAxis: { type: 'value', name: '黄色 / 红色占比（%）' },
    series: [
      { name: '黄色', type: 'line', itemStyle: { color: COLORS.YELLOW }, data: r.gradeShareTrend.map(p => p.yellow),
        markLine: target.YELLOW == null ? undefined : { symbol: 'none', data: [{ yAxis: target.YELLOW, name: '黄色目标' }] } },
      { name: '红色', type: 'line', itemStyle: { color: COLORS.RED }, data: r.gradeShareTrend.map(p => p.red),
        markLine: target.RED == null ? undefined : { symbol: 'none', data: [{ yAxis: target.RED, name: '红色目标' }] } }
    ]
  });
})();
