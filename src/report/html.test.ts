import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { reviewHistory, tempProject } from '../testing/projects.js';
import { formatHtml } from './html.js';

describe('HTML report (static checks; the browser test loads it in Chromium)', () => {
  it('is self-contained: nothing is loaded from anywhere, and a CSP forbids it', async () => {
    const html = formatHtml(await check([], { cwd: tempProject(reviewHistory()) }));
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/<(script|img|iframe)[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(/i);
  });

  it('escapes what it shows: a comment with markup stays text', async () => {
    const html = formatHtml(await check([], { cwd: tempProject(reviewHistory()) }));
    expect(html).toContain('-- &lt;b&gt;first/last&lt;/b&gt; replaced full_name');
    expect(html).not.toContain('<b>first/last</b>');
  });
});
