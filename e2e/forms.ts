import assert from 'node:assert/strict';
import type { Page, Response } from 'playwright-core';

export type FieldValue = string | string[] | boolean;

/**
 * Runs an action that makes the page navigate (a click, a form submission) and returns the
 * final response of the main frame: redirects are followed, so after a POST-303-GET this is the
 * GET. Its body is the HTML as the server sent it.
 */
export async function navigation(page: Page, action: () => Promise<unknown>): Promise<Response> {
  const final = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
  );
  await action();
  const response = await final;
  await page.waitForLoadState('load');
  return response;
}

/** The form of the page's main content that holds the named field. */
export function formWith(page: Page, field: string) {
  return page.locator(`main form:has([name="${field}"])`).first();
}

/** Fills the named fields of one form: text, textarea, select, checkboxes (a list) and radios. */
export async function fillForm(page: Page, values: Record<string, FieldValue>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const fields = page.locator(`main form [name="${name}"]`);
    const count = await fields.count();
    assert.ok(count > 0, `the form has no field named "${name}" on ${page.url()}`);
    const first = fields.first();
    const tag = await first.evaluate((el) => (el as unknown as { tagName: string }).tagName.toLowerCase());
    const type = (await first.getAttribute('type')) ?? '';
    if (tag === 'select') {
      await first.selectOption(Array.isArray(value) ? value : String(value));
    } else if (type === 'checkbox' || type === 'radio') {
      const wanted = Array.isArray(value) ? value : typeof value === 'boolean' ? (value ? ['on'] : []) : [value];
      for (let i = 0; i < count; i++) {
        const box = fields.nth(i);
        const boxValue = (await box.getAttribute('value')) ?? 'on';
        if (wanted.includes(boxValue)) await box.check();
        else if (type === 'checkbox') await box.uncheck();
      }
    } else {
      await first.fill(Array.isArray(value) ? value.join('\n') : String(value));
    }
  }
}

/** Submits the main form holding `field` with its submit button; returns the final response. */
export async function submitForm(page: Page, field: string): Promise<Response> {
  const button = formWith(page, field).locator('button[type="submit"], button:not([type]), input[type="submit"]').last();
  return navigation(page, () => button.click());
}

/** Clicks the link to `href` (in the page's main content unless `scope` says otherwise). */
export async function followLink(page: Page, href: string, scope = 'main'): Promise<Response> {
  const link = page.locator(`${scope} a[href="${href}"]`).first();
  assert.ok((await link.count()) > 0, `no link to ${href} in ${scope} on ${page.url()}`);
  return navigation(page, () => link.click());
}
