/**
 * Phones first: every public page (the list of e2e/public-page-list.ts) in every locale, on a
 * 390 × 844 phone and at 400 % zoom (1280 px at 400 % = a 320 × 256 CSS-pixel viewport, WCAG
 * 1.4.10 reflow): the document is no wider than the viewport, and no element passes the viewport's
 * edge unless it sits inside a declared scroll region (focusable and named, scrolling by itself).
 * Stacked tables show each cell's column name and hide their header row visually only; the
 * timeline chart keeps 12-pixel text in its region. axe-core runs on every page at 320 pixels in
 * Albanian, where scroll regions appear. A few administration pages are checked for overflow too.
 * One browser, one context and one page per size, reused for every visit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';
import { SYSTEM } from '../src/modules/audit/index.js';
import { generateCycles } from '../src/modules/reporting/commands.js';
import { assertNoProblems, axeViolations, formatViolations, launchBrowser, LOCALES, newContext } from './browser.js';
import { PUBLIC_PAGES, preparePublicPages, type PageIds } from './public-page-list.js';
import { startServer, type TestServer } from './server.js';

/*
 * The page's DOM, as far as the functions run in the browser use it: the project compiles without
 * lib.dom, and these declarations stay inside this module.
 */
interface DomRect {
  left: number;
  right: number;
  width: number;
  height: number;
}
interface DomElement {
  tagName: string;
  id: string;
  className: unknown;
  classList: { contains(name: string): boolean; readonly [index: number]: string };
  textContent: string | null;
  parentElement: DomElement | null;
  tabIndex: number;
  scrollWidth: number;
  clientWidth: number;
  scrollLeft: number;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  getBoundingClientRect(): DomRect;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getScreenCTM?(): { a: number } | null;
}
declare const document: {
  documentElement: DomElement;
  body: DomElement;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getElementById(id: string): DomElement | null;
};
declare function getComputedStyle(el: DomElement, pseudo?: string): { display: string; content: string; visibility: string; position: string; clipPath: string; overflowX: string; fontSize: string };

const SIZES = [
  { name: 'a 390-pixel phone', width: 390, height: 844, axe: false },
  { name: '400 % zoom (320 CSS pixels)', width: 320, height: 256, axe: true },
] as const;

/** The stacked tables each page must show (by label in PUBLIC_PAGES), with at least one row. */
const STACKED: Record<string, string[]> = {
  '/gjakova/plans/2024-2025': ['table.commitments'],
  'the plan timeline': ['table.timeline-table'],
  'commitment XKGJA0001': ['table.timeline-table'],
  'a reporting institution': ['table.punctuality'],
  '/transparency': ['table.history'],
  'the history of the plan': ['table.history'],
  'the history of a commitment': ['table.history'],
  '/privacy': ['table.cookies'],
};

const PLAN_ADMIN = '/admin/jurisdictions/gjakova/plans/2024-2025';
const ADMIN_PAGES = ['/admin', `${PLAN_ADMIN}/commitments/XKGJA0001/edit`, '/admin/reporting', '/admin/jurisdictions/gjakova/branding', `${PLAN_ADMIN}/cycles/1`, `${PLAN_ADMIN}/cycles/1/updates/XKGJA0001`];

/** The helper tsx (esbuild's keepNames) calls in functions it compiles, defined in the page too. */
const KEEP_NAMES = 'globalThis.__name = (fn) => fn;';

let server: TestServer;
let browser: Browser;
let ids: PageIds;
let session: string;
const started = Date.now();

before(async () => {
  server = await startServer();
  // The first administrator before the other test people (setup links close once anyone has an account).
  session = await createFirstAdministrator(server.db, await createSetupToken(server.db), {
    email: 'admin@example.org',
    displayName: 'Arta Krasniqi',
    password: 'correct horse battery staple',
  });
  ids = await preparePublicPages(server.db);
  // Reporting cycles, so the reporting institution's page shows its punctuality table.
  await generateCycles(server.db, SYSTEM, ids.planId);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  console.log(`# small screens: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  /** Elements passing the viewport's edge outside a declared scroll region. */
  outside: string[];
  /** Problems with stacked tables: a cell without its label, a header row still shown. */
  stacked: string[];
  /** Selectors of the stacked tables found, each with its number of body rows. */
  tables: Record<string, number>;
}

/**
 * Measures the page now shown. A declared scroll region is an element with tabindex="0", a name
 * (aria-labelledby or aria-label) and overflow-x auto or scroll: its content may be wider than the
 * screen, the region itself may not. With `anyScroller` (administration pages, where a wide table
 * scrolls in its own box) any element scrolling sideways counts. Content hidden visually on purpose
 * (the skip link until focused, the .visually-hidden pattern: absolute and clipped) is not content
 * cut off.
 */
function measure(page: Page, anyScroller = false): Promise<Layout> {
  return page.evaluate((anyScroller) => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const isRegion = (el: DomElement) =>
      ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) &&
      (anyScroller || (el.getAttribute('tabindex') === '0' && (el.hasAttribute('aria-labelledby') || el.hasAttribute('aria-label'))));
    const hiddenOnPurpose = (el: DomElement) => {
      for (let a: DomElement | null = el; a; a = a.parentElement) {
        if (a.classList.contains('skip-link')) return true;
        const style = getComputedStyle(a);
        if (style.position === 'absolute' && style.clipPath !== 'none') return true;
      }
      return false;
    };
    const inRegion = (el: DomElement) => {
      for (let a = el.parentElement; a; a = a.parentElement) if (isRegion(a)) return true;
      return false;
    };
    const describe = (el: DomElement, box: DomRect) => {
      const classes = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
      return `<${el.tagName.toLowerCase()}${classes}> from ${Math.round(box.left)} to ${Math.round(box.right)} px: "${text}"`;
    };
    const outside: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right <= width + 0.5 && box.left >= -0.5) continue;
      if (hiddenOnPurpose(el) || inRegion(el)) continue;
      outside.push(describe(el, box));
    }
    const stacked: string[] = [];
    const tables: Record<string, number> = {};
    for (const table of Array.from(document.querySelectorAll('table.stacked'))) {
      const name = `table.${table.classList[0]}`;
      const rows = table.querySelectorAll(':scope > tbody > tr');
      tables[name] = (tables[name] ?? 0) + rows.length;
      const head = table.querySelector(':scope > thead')?.getBoundingClientRect();
      if (head && (head.width > 1 || head.height > 1)) stacked.push(`${name}: its header row is shown (${Math.round(head.width)} × ${Math.round(head.height)} px)`);
      for (const cell of Array.from(table.querySelectorAll(':scope > tbody > tr > td'))) {
        const label = cell.getAttribute('data-label');
        const before = getComputedStyle(cell, '::before');
        if (!label) stacked.push(`${name}: a cell has no data-label: "${(cell.textContent ?? '').trim().slice(0, 40)}"`);
        else if (before.display === 'none' || before.content === 'none' || before.content === 'normal' || before.visibility === 'hidden') stacked.push(`${name}: the label "${label}" is not shown`);
        else if (getComputedStyle(cell).display === 'table-cell') stacked.push(`${name}: the cell labelled "${label}" is still a table cell`);
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, outside: outside.slice(0, 10), stacked: stacked.slice(0, 10), tables };
  }, anyScroller);
}

function layoutProblems(where: string, layout: Layout): string[] {
  const problems: string[] = [];
  if (layout.scrollWidth > layout.clientWidth) problems.push(`${where}: the document is ${layout.scrollWidth} px wide in a ${layout.clientWidth}-pixel viewport`);
  for (const line of layout.outside) problems.push(`${where}: past the viewport's edge: ${line}`);
  for (const line of layout.stacked) problems.push(`${where}: ${line}`);
  return problems;
}

for (const size of SIZES) {
  describe(`on ${size.name}`, () => {
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      context = await newContext(browser, { viewport: { width: size.width, height: size.height } });
      await context.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
      // tsx names the functions declared inside page.evaluate() callbacks with a helper of its own.
      await context.addInitScript(KEEP_NAMES);
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
    });

    for (const locale of LOCALES) {
      test(`every public page fits, its tables stacked and labelled (${locale})`, async () => {
        const problems: string[] = [];
        for (const entry of PUBLIC_PAGES) {
          const url = `/${locale}${entry.path(ids)}`;
          const response = await page.goto(server.url + url);
          assert.equal(response?.status(), entry.status, `status of ${url}`);
          const where = `${url} at ${size.width} px`;
          const layout = await measure(page);
          problems.push(...layoutProblems(where, layout));
          for (const selector of STACKED[entry.label] ?? []) {
            if (!layout.tables[selector]) problems.push(`${where}: no stacked ${selector} with rows`);
          }
          if (size.axe && locale === 'sq') {
            const violations = await axeViolations(page);
            if (violations.length) problems.push(formatViolations(where, violations));
          }
        }
        assertNoProblems(problems);
      });
    }

    test('the timeline chart scrolls in its own region, its text at least 12 pixels', async () => {
      for (const path of ['/sq/gjakova/plans/2024-2025/timeline', '/fr/gjakova/plans/2024-2025/commitments/XKGJA0001']) {
        await page.goto(server.url + path);
        const chart = await page.evaluate(() => {
          const region = document.querySelector('.timeline .scroll-region');
          const svg = region?.querySelector('svg');
          const texts = Array.from(svg?.querySelectorAll('text') ?? []);
          const scale = svg?.getScreenCTM?.()?.a ?? 0;
          const hint = document.querySelector('.timeline .scroll-hint');
          return {
            region: !!region,
            focusable: region?.tabIndex === 0,
            name: (region?.getAttribute('aria-labelledby') ?? '')
              .split(' ')
              .map((id: string) => document.getElementById(id)?.textContent?.trim() ?? '')
              .join(' '),
            scrolls: !!region && region.scrollWidth > region.clientWidth,
            smallest: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
            texts: texts.length,
            hint: hint ? getComputedStyle(hint).display !== 'none' : false,
          };
        });
        assert.ok(chart.region, `${path}: the chart is in a scroll region`);
        assert.ok(chart.focusable, `${path}: the region is focusable (tabindex 0)`);
        assert.ok(chart.name.length > 20, `${path}: the region is named by visible text ("${chart.name}")`);
        assert.ok(chart.scrolls, `${path}: the chart scrolls sideways at ${size.width} px instead of shrinking`);
        assert.ok(chart.texts > 2 && chart.smallest >= 12, `${path}: the chart's smallest text is ${chart.smallest.toFixed(1)} px`);
        assert.ok(chart.hint, `${path}: the hint to scroll sideways is shown`);
        // The keyboard scrolls it: focus the region and press the right arrow.
        await page.focus('.timeline .scroll-region');
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => (document.querySelector('.timeline .scroll-region')?.scrollLeft ?? 0) > 0);
      }
    });

    test('administration pages fit: home, commitment form, reporting, the portal form, a cycle, a progress update', async () => {
      const problems: string[] = [];
      for (const locale of ['sq', 'fr'] as const) {
        for (const path of ADMIN_PAGES) {
          const url = `/${locale}${path}`;
          const response = await page.goto(server.url + url);
          assert.equal(response?.status(), 200, `status of ${url}`);
          problems.push(...layoutProblems(`${url} at ${size.width} px`, await measure(page, true)));
        }
      }
      assertNoProblems(problems);
    });
  });
}

test('on a wide screen the tables are tables again and no scroll hint shows', async () => {
  const context = await newContext(browser);
  await context.addInitScript(KEEP_NAMES);
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/sq/gjakova/plans/2024-2025/timeline`);
    const wide = await page.evaluate(() => ({
      cell: getComputedStyle(document.querySelector('table.stacked tbody td')!).display,
      head: document.querySelector('table.stacked thead')!.getBoundingClientRect().height,
      hint: getComputedStyle(document.querySelector('.scroll-hint')!).display,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    assert.deepEqual(wide, { cell: 'table-cell', head: wide.head, hint: 'none', overflow: 0 });
    assert.ok(wide.head > 20, 'the header row is shown');
  } finally {
    await context.close();
  }
});
