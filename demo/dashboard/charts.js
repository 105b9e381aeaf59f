// Hand-written SVG charts: a time series with volume bars, an NPS gauge, a stacked bar and
// horizontal value bars. Colours come from CSS classes (no inline styles, CSP-friendly).
import { svg } from './dom.js';

/**
 * Lines over shared x slots with count bars behind them.
 * series: [{ name, cls, points: (number|null)[] }], counts: number[], labels: string[] (x ticks)
 */
export function timeChart(node, { series, counts, labels, yMin, yMax, yTicks, width, height }) {
  // The drawing's own size: the caller picks it from the space the chart gets (see app.js), so
  // the 10 px tick labels stay 10 px instead of shrinking with a narrow screen.
  node.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // The right margin holds the count axis of the bars.
  const pad = { l: 30, r: 30, t: 8, b: 22 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const n = Math.max(labels.length, 1);
  const x = (i) => pad.l + (n === 1 ? w / 2 : (i * w) / (n - 1));
  const y = (v) => pad.t + h - ((v - yMin) / (yMax - yMin)) * h;
  const parts = [];

  for (const t of yTicks) {
    parts.push(svg('line', { class: 'grid', x1: pad.l, x2: pad.l + w, y1: y(t), y2: y(t) }));
    parts.push(svg('text', { class: 'tick', x: pad.l - 6, y: y(t) + 3.5, 'text-anchor': 'end', text: t }));
  }
  const maxCount = Math.max(1, ...counts);
  const barW = Math.max(1, (w / n) * 0.7);
  counts.forEach((c, i) => {
    if (!c) return;
    const bh = (c / maxCount) * h * 0.35;
    // Inside the plot: the first and last bars would otherwise reach over the y-axis labels.
    const left = Math.max(pad.l, x(i) - barW / 2);
    const right = Math.min(pad.l + w, x(i) + barW / 2);
    parts.push(svg('rect', { class: 'volume', x: left, y: pad.t + h - bh, width: Math.max(1, right - left), height: bh }, [svg('title', { text: `${c} ratings` })]));
  });
  if (counts.some(Boolean)) {
    // The bars' own axis on the right: 0 at the base, the busiest slot's count at the top of its bar.
    const top = pad.t + h - h * 0.35;
    parts.push(svg('line', { class: 'grid', x1: pad.l + w + 2, x2: pad.l + w + 2, y1: top, y2: pad.t + h }));
    parts.push(svg('text', { class: 'tick', x: pad.l + w + 5, y: top + 3.5, 'text-anchor': 'start', text: maxCount }));
    parts.push(svg('text', { class: 'tick', x: pad.l + w + 5, y: pad.t + h, 'text-anchor': 'start', text: 0 }));
  }
  // At most six labels, and at least 44 units apart ("09:47" is ~28 wide): on a phone they overlapped.
  const step = Math.max(Math.ceil(n / 6), Math.ceil((n * 44) / w));
  labels.forEach((label, i) => {
    if (i % step && i !== n - 1) return;
    parts.push(svg('text', { class: 'tick', x: x(i), y: height - 6, 'text-anchor': 'middle', text: label }));
  });
  if (!series.some((s) => s.points.some((v) => v !== null && v !== undefined))) {
    parts.push(svg('text', { class: 'empty-note', x: pad.l + w / 2, y: pad.t + h / 2, 'text-anchor': 'middle', text: 'Waiting for ratings…' }));
  }
  for (const s of series) {
    // Break the line where a slot has no value; draw lone points as dots.
    let d = '';
    let open = false;
    s.points.forEach((v, i) => {
      if (v === null || v === undefined) { open = false; return; }
      d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      open = true;
    });
    if (d) parts.push(svg('path', { class: `line ${s.cls}`, d }));
    s.points.forEach((v, i) => {
      const lone = v !== null && v !== undefined && (s.points[i - 1] ?? null) === null && (s.points[i + 1] ?? null) === null;
      if (lone) parts.push(svg('circle', { class: `dot ${s.cls}`, cx: x(i), cy: y(v), r: 3 }));
    });
  }
  node.replaceChildren(...parts);
}

/** Semicircle gauge for NPS (-100..100), red / amber / green bands, the score in the middle. */
export function npsGauge(node, score) {
  const cx = 100, cy = 100, r = 80;
  const point = (v, radius = r) => {
    const angle = Math.PI * (1 - (v + 100) / 200);
    return [cx + radius * Math.cos(angle), cy - radius * Math.sin(angle)];
  };
  const arc = (from, to, cls) => {
    const [x1, y1] = point(from);
    const [x2, y2] = point(to);
    return svg('path', { class: `band ${cls}`, d: `M${x1},${y1} A${r},${r} 0 0 1 ${x2},${y2}` });
  };
  const parts = [arc(-100, 0, 'bad'), arc(0, 30, 'ok'), arc(30, 100, 'good')];
  if (score !== null && score !== undefined) {
    // A marker on the arc rather than a needle, so the number in the middle stays readable.
    const [mx, my] = point(score);
    parts.push(svg('circle', { class: 'marker', cx: mx, cy: my, r: 9 }));
  }
  parts.push(svg('text', { class: 'gauge-value', x: cx, y: cy - 8, 'text-anchor': 'middle', text: score ?? '–' }));
  // Below the marker's lowest reach (y 112 at either end), so it never covers the end labels.
  parts.push(svg('text', { class: 'tick', x: 20, y: 124, 'text-anchor': 'middle', text: '-100' }));
  parts.push(svg('text', { class: 'tick', x: cx, y: 124, 'text-anchor': 'middle', text: '0' }));
  parts.push(svg('text', { class: 'tick', x: 180, y: 124, 'text-anchor': 'middle', text: '100' }));
  node.replaceChildren(...parts);
  node.setAttribute('aria-label', score === null || score === undefined ? 'NPS: no answers yet' : `NPS ${score}, on a scale from -100 to 100`);
}

/** One horizontal bar split into parts: [{ value, cls, label }]. */
export function stackBar(node, parts, width = 200, height = 14) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  let x = 0;
  const rects = [];
  if (!total) rects.push(svg('rect', { class: 'empty', x: 0, y: 0, width, height, rx: 3 }));
  for (const p of parts) {
    if (!total || !p.value) continue;
    const w = (p.value / total) * width;
    rects.push(svg('rect', { class: p.cls, x, y: 0, width: w, height }, [svg('title', { text: `${p.label}: ${p.value}` })]));
    x += w;
  }
  node.replaceChildren(...rects);
}

/** A small inline bar (0..1) for table rows. */
export function meterBar(fraction, cls = '', width = 120, height = 10) {
  const f = Math.max(0, Math.min(1, fraction || 0));
  return svg('svg', { class: `meter ${cls}`, viewBox: `0 0 ${width} ${height}`, width, height, 'aria-hidden': 'true' }, [
    svg('rect', { class: 'track', x: 0, y: 0, width, height, rx: 2 }),
    svg('rect', { class: 'fill', x: 0, y: 0, width: Math.max(f * width, f ? 2 : 0), height, rx: 2 }),
  ]);
}

/** Vertical bars with a label under each: [{ label, value, cls }]. */
export function columnChart(node, columns, width = 260, height = 90) {
  const pad = { t: 12, b: 16 };
  const max = Math.max(1, ...columns.map((c) => c.value));
  const slot = width / Math.max(columns.length, 1);
  const parts = [];
  columns.forEach((c, i) => {
    const h = (c.value / max) * (height - pad.t - pad.b);
    const x = i * slot + slot * 0.15;
    parts.push(svg('rect', { class: `col ${c.cls}`, x, y: height - pad.b - h, width: slot * 0.7, height: Math.max(h, c.value ? 1 : 0), rx: 2 }, [svg('title', { text: `${c.label}: ${c.value}` })]));
    if (c.value) parts.push(svg('text', { class: 'tick', x: x + slot * 0.35, y: height - pad.b - h - 3, 'text-anchor': 'middle', text: c.value }));
    parts.push(svg('text', { class: 'tick', x: x + slot * 0.35, y: height - 4, 'text-anchor': 'middle', text: c.label }));
  });
  node.replaceChildren(...parts);
}

/** A small trend line (no axes) with a dot on the last value; nulls break the line. */
export function sparkline(node, values, min, max, width = 200, height = 30) {
  const pad = 4;
  const n = values.length;
  const x = (i) => (n <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (v) => height - pad - ((v - min) / (max - min)) * (height - 2 * pad);
  let d = '';
  let open = false;
  values.forEach((v, i) => {
    if (v === null || v === undefined) { open = false; return; }
    d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    open = true;
  });
  const parts = [svg('line', { class: 'grid', x1: 0, x2: width, y1: y(0), y2: y(0) })];
  if (d) parts.push(svg('path', { class: 'line spark-line', d }));
  const last = n - 1;
  if (n && values[last] !== null && values[last] !== undefined) parts.push(svg('circle', { class: 'spark-dot', cx: x(last), cy: y(values[last]), r: 2.5 }));
  node.replaceChildren(...parts);
}
