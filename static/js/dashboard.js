// Draws each chart of the analytics pages with ECharts from its JSON (<script type="application/json">).
// The chart box itself is dir="ltr" (SVG text anchors flip in a right-to-left box and labels
// then overlap the plot); right-to-left pages instead get a reversed category axis, the value axis on the right, and
// right-aligned legends and tooltips, so the chart reads the way the page does.
(function () {
  "use strict";
  function draw(element) {
    var data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    var rtl = document.documentElement.dir === "rtl";
    var font = getComputedStyle(document.body).fontFamily;
    // Numbers as the tables write them (Moroccan Arabic or French grouping).
    var numbers = new Intl.NumberFormat((document.documentElement.lang || "fr") + "-MA");
    var number = function (value) { return numbers.format(value); };
    // A horizontal chart lists its first row on top; a vertical one starts at the reading side.
    var category = { type: "category", data: data.labels, inverse: data.horizontal ? true : rtl,
      axisLine: { onZero: false }, axisLabel: { interval: "auto", fontFamily: font, hideOverlap: true } };
    var value = { type: "value", position: data.horizontal ? "bottom" : (rtl ? "right" : "left"),
      inverse: data.horizontal && rtl, axisLabel: { fontFamily: font, formatter: number } };
    if (data.horizontal) { category.position = rtl ? "right" : "left"; }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      grid: { containLabel: true, left: 24, right: 24, top: data.series.length > 1 ? 36 : 16, bottom: 8 },
      legend: data.series.length > 1 ? { show: true, top: 0, [rtl ? "right" : "left"]: 0, align: rtl ? "right" : "left" } : { show: false },
      tooltip: { trigger: "axis", confine: true, valueFormatter: number, extraCssText: rtl ? "direction: rtl; text-align: right;" : "" },
      xAxis: data.horizontal ? value : category,
      yAxis: data.horizontal ? category : value,
      series: data.series.map(function (serie) {
        return { name: serie.name, type: data.kind, data: serie.data, smooth: data.kind === "line",
          areaStyle: data.kind === "line" ? { opacity: 0.15 } : undefined, barMaxWidth: 36 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.drawn = "true";
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
  });
})();
