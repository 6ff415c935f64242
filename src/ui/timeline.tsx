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

const ROW = 26;
const LABEL = 110;
const WIDTH = 760;
const AXIS = 28;

function days(iso: string): number {
  return Math.floor(new Date(`${iso}T00:00:00Z`).getTime() / 86_400_000);
}

/**
 * A milestone timeline as server-rendered SVG (decorative for assistive technology) followed by
 * the same facts as a table, which is what screen readers read.
 */
export function Timeline({ ctx, items, caption }: { ctx: PageContext; items: TimelineItem[]; caption: string }): JSX.Element {
  if (items.length === 0) return <></>;
  const starts = items.map((i) => days(i.start ?? i.end));
  const ends = items.map((i) => days(i.end));
  const min = Math.min(...starts);
  const max = Math.max(...ends, min + 1);
  const span = max - min;
  const x = (d: number) => LABEL + ((d - min) / span) * (WIDTH - LABEL - 10);
  const height = AXIS + items.length * ROW + 6;
  const ticks: { x: number; label: string }[] = [];
  const first = new Date(min * 86_400_000);
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)); days(m.toISOString().slice(0, 10)) <= max; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 3, 1))) {
    const iso = m.toISOString().slice(0, 10);
    ticks.push({ x: x(days(iso)), label: formatDate(ctx.locale, iso, 'short') });
  }
  return (
    <figure class="timeline">
      <svg class="timeline-chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" aria-hidden="true" focusable="false">
        {ticks.map((tick) => (
          <g>
            <line x1={tick.x.toFixed(1)} x2={tick.x.toFixed(1)} y1="18" y2={String(height)} class="timeline-grid" />
            <text x={tick.x.toFixed(1)} y="12" class="timeline-tick" text-anchor="middle" safe>
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
              <text x="4" y={String(y + 15)} class="timeline-label" safe>
                {item.label}
              </text>
              <rect x={x1.toFixed(1)} y={String(y + 4)} width={(x2 - x1).toFixed(1)} height="14" rx="3" class="timeline-bar" />
            </g>
          );
        })}
      </svg>
      <table class="timeline-table">
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
              <td safe>{item.start ? formatDate(ctx.locale, item.start) : ctx.t('ui.notSet')}</td>
              <td safe>{formatDate(ctx.locale, item.end)}</td>
              <td>{escapeHtml(ctx.t(`domain.milestoneStatus.${item.status}` as MessageKey))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
