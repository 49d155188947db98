// 风险分布 charts: ECharts options for the distribution (bar) and trend (line) data the page embeds.
(function () {
  const data = JSON.parse(document.getElementById('chart-data').textContent);
  const GRADES = [
    { code: 'GREEN', name: '绿色（低风险）', color: '#2e9d4f' },
    { code: 'YELLOW', name: '黄色（中风险）', color: '#d9a400' },
    { code: 'RED', name: '红色（高风险）', color: '#d0342c' }
  ];
  // Green is nearly everyone: hidden by default so yellow and red stay readable.
  const legendSelected = { '绿色（低风险）': false };

  function barChart(elementId, distribution, param) {
    const el = document.getElementById(elementId);
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    const groups = distribution.groups;
    chart.setOption({
      tooltip: {
        trigger: 'item',
        formatter: p => {
          const g = groups[p.dataIndex];
          return g.name + '<br>' + p.seriesName + '：' + p.value.toLocaleString('zh-CN') + ' 户（'
            + g.grades.shares[GRADES[p.seriesIndex].code] + '%）<br>点击查看这些商户';
        }
      },
      legend: { top: 0, selected: legendSelected },
      grid: { left: 50, right: 16, top: 36, bottom: 70 },
      xAxis: { type: 'category', data: groups.map(g => g.name), axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: 'value', name: '户数', minInterval: 1 },
      series: GRADES.map(g => ({
        name: g.name, type: 'bar', itemStyle: { color: g.color }, cursor: 'pointer',
        data: groups.map(x => x.grades.counts[g.code])
      }))
    });
    chart.on('click', p => {
      const key = groups[p.dataIndex].key;
      location.href = '/console/merchants?' + param + '=' + encodeURIComponent(key) + '&grade=' + GRADES[p.seriesIndex].code;
    });
    window.addEventListener('resize', () => chart.resize());
    return chart;
  }

  function trendChart(elementId, trend) {
    const chart = echarts.init(document.getElementById(elementId), null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 70, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: trend.map(p => p.day), boundaryGap: false },
      yAxis: [
        { type: 'value', name: '黄色 / 红色（户）', minInterval: 1 },
        { type: 'value', name: '绿色（户）', minInterval: 1, splitLine: { show: false } }
      ],
      series: GRADES.map(g => ({
        name: g.name, type: 'line', yAxisIndex: g.code === 'GREEN' ? 1 : 0, itemStyle: { color: g.color },
        showSymbol: trend.length < 40, symbolSize: 8, data: trend.map(p => p.grades.counts[g.code])
      }))
    });
    window.addEventListener('resize', () => chart.resize());
    return chart;
  }

  barChart('chart-street', data.street, 'street');
  barChart('chart-category', data.category, 'category');
  trendChart('chart-trend', data.trend);
})();
