/**
 * A hand-written SVG bar chart of the headline figures: one panel per benchmark, bars grouped,
 * dashed lines for the targets. No dependencies.
 */

export interface Bar {
  /** A "\n" breaks the label into lines under the bar. */
  label: string;
  value: number;
  color: string;
}

export interface Group {
  label: string;
  bars: Bar[];
}

export interface Panel {
  title: string;
  groups: Group[];
  /** Dashed horizontal lines (targets, references). */
  lines?: { value: number; label: string; color?: string }[];
  format: (value: number) => string;
}

const WIDTH = 960;
const PANEL_HEIGHT = 262;
const MARGIN = { top: 56, right: 20, bottom: 62, left: 60 };

function esc(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function panel(p: Panel, top: number): string {
  const out: string[] = [];
  const x0 = MARGIN.left;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const y0 = top + MARGIN.top;
  const max = niceMax(
    Math.max(...p.groups.flatMap((g) => g.bars.map((b) => b.value)), ...(p.lines ?? []).map((l) => l.value)) *
      1.08,
  );
  const y = (value: number) => y0 + plotH - (Math.max(0, value) / max) * plotH;
  out.push(`<text x="${x0}" y="${top + 20}" class="title">${esc(p.title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    out.push(
      `<line x1="${x0}" x2="${x0 + plotW}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" class="grid"/>`,
      `<text x="${x0 - 6}" y="${(y(value) + 4).toFixed(1)}" class="axis" text-anchor="end">${esc(p.format(value))}</text>`,
    );
  }
  const groupW = plotW / p.groups.length;
  p.groups.forEach((group, gi) => {
    const barW = Math.min(84, (groupW * 0.8) / group.bars.length);
    const start = x0 + gi * groupW + (groupW - barW * group.bars.length) / 2;
    group.bars.forEach((bar, bi) => {
      const bx = start + bi * barW;
      const by = y(bar.value);
      out.push(
        `<rect x="${(bx + 2).toFixed(1)}" y="${by.toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(y0 + plotH - by).toFixed(1)}" fill="${bar.color}"><title>${esc(`${group.label} — ${bar.label}: ${p.format(bar.value)}`)}</title></rect>`,
        `<text x="${(bx + barW / 2).toFixed(1)}" y="${(by - 4).toFixed(1)}" class="value" text-anchor="middle">${esc(p.format(bar.value))}</text>`,
        `<text x="${(bx + barW / 2).toFixed(1)}" y="${y0 + plotH + 13}" class="bar" text-anchor="middle">${bar.label
          .split("\n")
          .map(
            (line, li) =>
              `<tspan x="${(bx + barW / 2).toFixed(1)}" dy="${li === 0 ? 0 : 11}">${esc(line)}</tspan>`,
          )
          .join("")}</text>`,
      );
    });
    out.push(
      `<text x="${(x0 + gi * groupW + groupW / 2).toFixed(1)}" y="${y0 + plotH + 40}" class="group" text-anchor="middle">${esc(group.label)}</text>`,
    );
  });
  // Dashed lines across the plot; their labels form a legend under the title, so they never
  // cover a bar.
  let legendX = x0;
  for (const line of p.lines ?? []) {
    const ly = y(line.value).toFixed(1);
    const color = line.color ?? "#c0392b";
    out.push(
      `<line x1="${x0}" x2="${x0 + plotW}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-dasharray="6 4" stroke-width="1.5"/>`,
      `<line x1="${legendX}" x2="${legendX + 24}" y1="${top + 37}" y2="${top + 37}" stroke="${color}" stroke-dasharray="6 4" stroke-width="1.5"/>`,
      `<text x="${legendX + 30}" y="${top + 41}" class="line" fill="${color}">${esc(line.label)}</text>`,
    );
    legendX += 50 + line.label.length * 6.5;
  }
  return out.join("\n");
}

/**
 * Renders panels stacked vertically into one SVG document.
 *
 * @example
 * writeFileSync("bench/chart.svg", renderChart([{ title: "…", groups, format: (v) => v.toFixed(2) }], "subtitle"));
 */
export function renderChart(panels: Panel[], subtitle: string): string {
  const height = 30 + panels.length * PANEL_HEIGHT;
  const body = panels.map((p, i) => panel(p, 30 + i * PANEL_HEIGHT)).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" role="img" aria-labelledby="chart-title">
<title id="chart-title">${esc(subtitle)}: ${esc(panels.map((p) => p.title).join("; "))}</title>
<style>
.title { font-size: 15px; font-weight: 600; fill: #222; }
.subtitle { font-size: 12px; fill: #555; }
.axis { font-size: 11px; fill: #666; }
.value { font-size: 11px; fill: #222; }
.bar { font-size: 10.5px; fill: #444; }
.group { font-size: 12px; font-weight: 600; fill: #333; }
.line { font-size: 11px; }
.grid { stroke: #e4e4e4; stroke-width: 1; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${MARGIN.left}" y="20" class="subtitle">${esc(subtitle)}</text>
${body}
</svg>
`;
}
