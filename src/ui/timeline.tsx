import { escapeHtml } from '@kitajs/html';
import { formatDate, type MessageKey } from '../i18n/index.js';
import type { PageContext } from './context.js';

export interface TimelineItem {
  id: string;
  label: string;
  /** ISO dates; a missing start draws a point at the due date. */
  start: string | null;
  end: string;
  status: string;
}

/**
 * The chart is drawn at its real size, never scaled down: WIDTH user units are WIDTH CSS pixels,
 * so its 12-unit text is 12 CSS pixels on every screen. On a narrower screen it scrolls sideways
 * in its own named, focusable region (a <section> with a name is a region) (besa.css `.timeline-chart`, `.scroll-region`).
 */
const WIDTH = 900;
/** Each row: its label on one line, its bar under it (so labels take the chart's whole width). */
const ROW = 38;
const AXIS = 26;
const PAD = 6;
/** About 6.8 user units per character of 12-pixel text. */
const CHAR = 6.8;
/** The least room between two month ticks, so their labels ("1 korr 2025") never touch. */
const TICK_ROOM = 90;

function days(iso: string): number {
  return Math.floor(new Date(`${iso}T00:00:00Z`).getTime() / 86_400_000);
}

/** A label cut to the characters that fit the chart, with an ellipsis (the table gives it whole). */
function fitted(label: string, room: number): string {
  const chars = Array.from(label);
  const fits = Math.floor((room - 8) / CHAR);
  return chars.length <= fits ? label : `${chars.slice(0, Math.max(1, fits - 1)).join('').trimEnd()}…`;
}

/**
 * A milestone timeline as server-rendered SVG (decorative for assistive technology), in a scroll
 * region on narrow screens, followed by the same facts as a table: what screen readers read, and
 * on a phone a stacked list with each value labelled.
 */
export function Timeline({ ctx, items, caption, id = 'timeline' }: { ctx: PageContext; items: TimelineItem[]; caption: string; id?: string }): JSX.Element {
  if (items.length === 0) return <></>;
  const starts = items.map((i) => days(i.start ?? i.end));
  const ends = items.map((i) => days(i.end));
  const min = Math.min(...starts);
  const max = Math.max(...ends, min + 1);
  const span = max - min;
  const x = (d: number) => PAD + ((d - min) / span) * (WIDTH - 2 * PAD);
  const height = AXIS + items.length * ROW + 4;
  // Ticks on the first of every 1, 3, 6 or 12 months: the smallest step whose labels do not touch.
  const months = span / 30.44;
  const step = [1, 3, 6, 12, 24].find((s) => (months / s) * TICK_ROOM <= WIDTH - 2 * PAD) ?? 24;
  const ticks: { x: number; label: string }[] = [];
  const first = new Date(min * 86_400_000);
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)); days(m.toISOString().slice(0, 10)) <= max; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + step, 1))) {
    const iso = m.toISOString().slice(0, 10);
    ticks.push({ x: x(days(iso)), label: formatDate(ctx.locale, iso, 'short') });
  }
  return (
    <figure class="timeline">
      <p class="timeline-chart-title" id={`${id}-chart`}>
        {escapeHtml(ctx.t('timeline.chart'))}
      </p>
      <p class="scroll-hint" id={`${id}-hint`}>
        {escapeHtml(ctx.t('timeline.scrollHint'))}
      </p>
      <section class="scroll-region" tabindex="0" aria-labelledby={`${id}-chart ${id}-hint`}>
        <svg class="timeline-chart" viewBox={`0 0 ${WIDTH} ${height}`} width={String(WIDTH)} height={String(height)} aria-hidden="true" focusable="false">
          {ticks.map((tick) => (
            <g>
              <line x1={tick.x.toFixed(1)} x2={tick.x.toFixed(1)} y1="18" y2={String(height)} class="timeline-grid" />
              <text x={tick.x.toFixed(1)} y="12" class="timeline-tick" text-anchor={tick.x > WIDTH - TICK_ROOM / 2 ? 'end' : tick.x < TICK_ROOM / 2 ? 'start' : 'middle'} safe>
                {tick.label}
              </text>
            </g>
          ))}
          {items.map((item, index) => {
            const y = AXIS + index * ROW;
            const x1 = x(days(item.start ?? item.end));
            const x2 = Math.max(x(days(item.end)), x1 + 6);
            return (
              <g class={`timeline-row status-${item.status}`}>
                <text x={String(PAD)} y={String(y + 14)} class="timeline-label" safe>
                  {fitted(item.label, WIDTH - 2 * PAD)}
                </text>
                <rect x={x1.toFixed(1)} y={String(y + 20)} width={(x2 - x1).toFixed(1)} height="12" rx="3" class="timeline-bar" />
              </g>
            );
          })}
        </svg>
      </section>
      <table class="timeline-table stacked">
        <caption safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{escapeHtml(ctx.t('timeline.milestone'))}</th>
            <th scope="col">{escapeHtml(ctx.t('timeline.start'))}</th>
            <th scope="col">{escapeHtml(ctx.t('timeline.due'))}</th>
            <th scope="col">{escapeHtml(ctx.t('timeline.status'))}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr>
              <th scope="row" safe>
                {item.label}
              </th>
              <td data-label={ctx.t('timeline.start')} safe>
                {item.start ? formatDate(ctx.locale, item.start) : ctx.t('ui.notSet')}
              </td>
              <td data-label={ctx.t('timeline.due')} safe>
                {formatDate(ctx.locale, item.end)}
              </td>
              <td data-label={ctx.t('timeline.status')}>{escapeHtml(ctx.t(`domain.milestoneStatus.${item.status}` as MessageKey))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
