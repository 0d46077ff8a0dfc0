/* The coverage dashboard's map and trend (ECharts, vendored). No inline script: every URL and
   label comes from data-* attributes, the numbers from the stats API. Re-drawn after htmx swaps. */
(function () {
  "use strict";
  var charts = [];

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) throw new Error(url + " → " + response.status);
        return response.json();
      }
    );
  }

  function percent(rate) {
    return rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1) + "%";
  }

  function drawMap(el) {
    return getJSON(el.dataset.geoUrl)
      .then(function (geo) {
        return getJSON(el.dataset.figuresUrl).then(function (figures) { return [geo, figures]; });
      })
      .then(function (loaded) {
        var geo = loaded[0], figures = loaded[1];
        var mapName = "kexie-" + (figures.region.code || "100000");
        echarts.registerMap(mapName, geo);
        var nameOf = {};
        geo.features.forEach(function (f) {
          var id = String(f.id || (f.properties && f.properties.id) || "");
          if (id) nameOf[id] = f.properties.name;
        });
        var data = figures.children
          .filter(function (c) { return nameOf[c.code]; })
          .map(function (c) {
            return {
              name: nameOf[c.code],
              value: c.rate === null ? null : Math.round(c.rate * 1000) / 10,
              figure: c,
            };
          });
        var chart = echarts.init(el);
        charts.push(chart);
        chart.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var c = p.data && p.data.figure;
              if (!c) return p.name + "：" + el.dataset.labelNone;
              return c.name + "<br>" + el.dataset.labelRate + " " + percent(c.rate) + "（" + c.covered + " / " + c.in_scope + "）";
            },
          },
          visualMap: {
            min: 0, max: 100, left: "left", bottom: 0, text: ["100%", "0%"], calculable: true,
            inRange: { color: ["#fde2e1", "#f6c26b", "#4caf50"] },
          },
          series: [{ type: "map", map: mapName, roam: false, data: data, label: { show: false } }],
        });
        chart.on("click", function (p) {
          var c = p.data && p.data.figure;
          var row = c && document.querySelector('tr[data-region="' + c.code + '"] td a');
          if (row) window.location.href = row.getAttribute("href");
        });
      })
      .catch(function (err) { console.warn(err); el.classList.add("chart-failed"); });
  }

  function drawTrend(el) {
    return getJSON(el.dataset.trendUrl)
      .then(function (trend) {
        var chart = echarts.init(el);
        charts.push(chart);
        chart.setOption({
          tooltip: {
            trigger: "axis",
            formatter: function (items) {
              var p = trend.points[items[0].dataIndex];
              return p.date + "<br>" + el.dataset.labelRate + " " + percent(p.rate) + "（" + el.dataset.labelCovered + " " + p.covered + " / " + p.in_scope + "）";
            },
          },
          grid: { left: 48, right: 16, top: 16, bottom: 32 },
          xAxis: { type: "category", data: trend.points.map(function (p) { return p.month; }) },
          yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}%" } },
          series: [{
            type: "line", step: "end",
            data: trend.points.map(function (p) { return p.rate === null ? null : Math.round(p.rate * 1000) / 10; }),
          }],
        });
      })
      .catch(function (err) { console.warn(err); el.classList.add("chart-failed"); });
  }

  function draw() {
    if (typeof echarts === "undefined") return;
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    // Classes, not ids: htmx would copy an old element's attributes (the style ECharts set) onto a
    // new element with the same id while settling, which the CSP refuses as an inline style.
    // One request at a time, the map's then the trend's.
    var map = document.querySelector(".coverage-map");
    var trend = document.querySelector(".coverage-trend");
    var chain = Promise.resolve();
    if (map) chain = chain.then(function () { return drawMap(map); });
    if (trend) chain.then(function () { return drawTrend(trend); });
  }

  // Before htmx swaps the results, take the old charts down.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "coverage-results") return;
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    document.querySelectorAll(".coverage-chart").forEach(function (el) { el.removeAttribute("style"); });
  });
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "coverage-results") draw();
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
