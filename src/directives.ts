// Comment directives: `twoway-ignore <rule-id>: <reason>` and `twoway: contract`.
import type { Span } from './ir.js';
import type { Directive } from './migration.js';

/**
 * Reads directives from one comment's text (any comment syntax: the caller strips nothing).
 * Several ids may share one reason: `twoway-ignore drop-column, drop-index: moved to archive`.
 */
export function directivesInComment(text: string, span: Span): Directive[] {
  const out: Directive[] = [];
  const at = { path: span.path, line: span.line, column: span.column };
  const ignoreAt = text.indexOf('twoway-ignore');
  if (ignoreAt >= 0) {
    const rest = text.slice(ignoreAt + 'twoway-ignore'.length).replace(/\*\/\s*$/, '');
    const colon = rest.indexOf(':');
    const ids = (colon >= 0 ? rest.slice(0, colon) : rest)
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const reason = colon >= 0 ? rest.slice(colon + 1).trim() : '';
    for (const rule of ids.length ? ids : ['']) out.push({ type: 'ignore', rule, reason: reason || null, ...at });
  } else if (/\btwoway:\s*contract\b/.test(text)) {
    out.push({ type: 'contract', ...at });
  }
  return out;
}
