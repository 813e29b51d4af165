/* Charts of the programme dashboard, drawn with the vendored Chart.js from the figures the page embeds.
   Each chart repeats a table printed under it, which stays the accessible source of the figures.
   Suppressed counts ("< 5") are left out of the charts: they are not numbers. */
(function () {
  "use strict";

  var source = document.getElementById("raqmya-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var colours = ["#0b4f8a", "#1a7f37", "#b35900", "#6f42c1", "#9a6700"];

  function numberOrNull(value) {
    return typeof value === "number" ? value : null;
  }

  // A bar's name in lines of at most `size` characters, broken between words, so that on a 360 px
  // phone no name runs past the canvas edge.
  function wrapped(label, size) {
    var lines = [];
    String(label).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= size) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  function draw(id, type, labels, series, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    var datasets = series.map(function (item, index) {
      return {
        label: item.label,
        data: item.values.map(numberOrNull),
        backgroundColor: colours[index % colours.length],
        borderColor: colours[index % colours.length]
      };
    });
    // On a phone, a chart whose bars have word labels gets horizontal bars, so each label has a line's width.
    var narrow = canvas.parentNode.clientWidth < 480;
    var worded = labels.some(function (label) { return String(label).length > 8; });
    horizontal = horizontal || (narrow && worded);
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
    scales[categoryAxis] = { reverse: rtl && !horizontal };
    if (narrow && horizontal) {
      scales[categoryAxis].ticks = { autoSkip: false, maxRotation: 0, minRotation: 0 };
      labels = labels.map(function (label) { return wrapped(label, 16); });
    }
    if (horizontal) {
      scales.x.reverse = rtl;
      scales.y.position = rtl ? "right" : "left";
    }
    new window.Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        // Numbers on the axes and in the tooltips grouped as the page language writes them.
        locale: document.documentElement.lang || undefined,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { rtl: rtl, display: datasets.length > 1 },
          tooltip: { rtl: rtl }
        }
      }
    });
  }

  draw("chart-figures", "bar", data.figures.labels, [data.figures.series], false);
  draw("chart-regions", "bar", data.regions.labels, [data.regions.series], true);
  draw("chart-months", "bar", data.months.labels, data.months.series, false);
  draw("chart-funnel", "bar", data.funnel.labels, [data.funnel.series], false);
}());
