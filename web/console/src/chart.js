// The series plot of a quarantined value: the source, its peers, their
// median and the tolerated band, the quarantined points marked.
import uPlot from "uplot";
import { h, when } from "./dom.js";

const COLORS = ["#1f5fbf", "#2e7d32", "#8e44ad", "#b35900", "#00695c"];

export function seriesChart(s) {
  const names = Object.keys(s.values).sort((a, b) => (a === s.dataset ? -1 : b === s.dataset ? 1 : a.localeCompare(b)));
  const flagged = new Set(s.flagged);
  const own = s.values[s.dataset];
  const marks = s.x.map((x, i) => (flagged.has(x) ? own[i] : null));
  const data = [s.x, ...names.map((n) => s.values[n]), s.median, s.lower, s.upper, marks];
  const series = [{ label: "time (UTC)", value: (u, v) => (v == null ? "-" : when(v)) }];
  names.forEach((n, i) => series.push({ label: n, stroke: COLORS[i % COLORS.length], width: n === s.dataset ? 2 : 1, spanGaps: true,
    points: { show: n === s.dataset, size: 3 } }));
  series.push({ label: "median", stroke: "#444", dash: [6, 4], width: 1, spanGaps: true });
  series.push({ label: `band −${(s.band * 100).toFixed(1)}%`, stroke: "#999", width: 1, spanGaps: true });
  series.push({ label: `band +${(s.band * 100).toFixed(1)}%`, stroke: "#999", width: 1, spanGaps: true });
  series.push({ label: "quarantined", stroke: "#c62828", width: 0, paths: () => null,
    points: { show: true, size: 9, fill: "#c62828", stroke: "#c62828" } });
  const lo = names.length + 2, hi = names.length + 3;
  const opts = {
    width: 860, height: 360, series,
    bands: [{ series: [hi, lo], fill: "rgba(120,120,120,0.12)" }],
    axes: [{}, { label: s.valueColumn }],
    scales: { x: { time: true } },
  };
  const box = h("div", { class: "plot", id: "series-plot" });
  const fig = h("figure", { "aria-label": `${s.valueColumn} of ${s.dataset} and its peers around ${when(s.point)}` },
    box,
    h("figcaption", {}, `${s.dataset}'s ${s.valueColumn} around ${when(s.point)} with ${names.length - 1} peer(s), ` +
      `their median and the ±${(s.band * 100).toFixed(1)}% band; ${s.flagged.length} quarantined point(s) marked in red.`));
  // uPlot measures its container, so it is created once the figure is in the page.
  requestAnimationFrame(() => { box.uplot = new uPlot(opts, data, box); });
  return fig;
}
