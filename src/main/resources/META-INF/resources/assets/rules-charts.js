// 规则管理 simulation result as ECharts charts: the 3x3 transition matrix (heatmap) and the shift of
// each grade by street and by category (after minus before). Data: the job's result, embedded by the page.
(function () {
  const result = JSON.parse(document.getElementById('simulation-data').textContent);
  const GRADES = [
    { code: 'GREEN', name: '绿色（低风险）', color: '#2e9d4f' },
    { code: 'YELLOW', name: '黄色（中风险）', color: '#d9a400' },
    { code: 'RED', name: '红色（高风险）', color: '#d0342c' }
  ];
  const n = v => Number(v || 0).toLocaleString('zh-CN');

  function matrixChart(el) {
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    const same = [], moved = [];
    GRADES.forEach((from, y) => GRADES.forEach((to, x) => {
      const count = (result.matrix[from.code] || {})[to.code] || 0;
      (x === y ? same : moved).push([x, y, count]);
    }));
    const maxMoved = Math.max(1, ...moved.map(d => d[2]));
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: p => GRADES[p.data[1]].name + ' → ' + GRADES[p.data[0]].name + '：' + n(p.data[2]) + ' 户'
          + (p.data[0] === p.data[1] ? '（不变）' : '')
      },
      grid: { left: 110, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'category', name: '变化后', nameLocation: 'middle', nameGap: 26, position: 'top',
               data: GRADES.map(g => g.name), splitArea: { show: true } },
      yAxis: { type: 'category', name: '变化前', nameLocation: 'middle', nameGap: 92, inverse: true, data: GRADES.map(g => g.name), splitArea: { show: true } },
      visualMap: { seriesIndex: 1, min: 0, max: maxMoved, show: false, inRange: { color: ['#fff7e0', '#f5a623', '#d0342c'] } },
      series: [
        { name: '不变', type: 'heatmap', data: same, itemStyle: { color: '#e8edf3', borderColor: '#fff', borderWidth: 2 },
          label: { show: true, formatter: p => n(p.data[2]), color: '#5f6b7a', fontSize: 14 } },
        { name: '变化', type: 'heatmap', data: moved, itemStyle: { borderColor: '#fff', borderWidth: 2 },
          label: { show: true, formatter: p => n(p.data[2]), fontSize: 15, fontWeight: 'bold', color: '#1f2933' } }
      ]
    });
    return chart;
  }

  function shiftChart(el, groups) {
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: ps => {
          const g = groups[ps[0].dataIndex];
          return g.name + '（' + n(g.before.total) + ' 户，变化 ' + n(g.changed) + ' 户）<br>' + GRADES.map(x =>
            x.name + '：' + n(g.before.counts[x.code]) + ' → ' + n(g.after.counts[x.code])).join('<br>');
        }
      },
      legend: { top: 0 },
      grid: { left: 50, right: 16, top: 36, bottom: 70 },
      xAxis: { type: 'category', data: groups.map(g => g.name), axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: 'value', name: '户数增减', minInterval: 1 },
      series: GRADES.map(x => ({
        name: x.name, type: 'bar', barMaxWidth: 36, itemStyle: { color: x.color },
        data: groups.map(g => (g.after.counts[x.code] || 0) - (g.before.counts[x.code] || 0))
      }))
    });
    return chart;
  }

  const charts = [
    matrixChart(document.getElementById('chart-matrix')),
    shiftChart(document.getElementById('chart-street'), result.byStreet),
    shiftChart(document.getElementById('chart-category'), result.byCategory)
  ];
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));
})();
