// `twoway rollback` output: the plan in words (human) or as JSON (version 1, docs/DESIGN.md).
import pc from 'picocolors';
import type { RollbackPlan } from '../rollback/index.js';
import { formatBytes } from '../stats/index.js';

export function formatRollbackJson(plan: RollbackPlan): string {
  const { errors, ...rest } = plan;
  return `${JSON.stringify({ ...rest, errors: errors.map((e) => ({ path: e.path, line: e.line, column: e.column, message: e.message })) }, null, 2)}\n`;
}

export function formatRollbackHuman(plan: RollbackPlan, o: { color: boolean }): string {
  const c = pc.createColors(o.color);
  const lines: string[] = [];
  const where = plan.database ? ` on ${plan.database.database} (${plan.database.dialect})` : '';
  lines.push(`Rolling back to ${plan.to} (${plan.commit.slice(0, 12)})${where}`);
  if (plan.plan === 'nothing') lines.push('', 'No migration separates this code from it: roll back the code.');
  else {
    lines.push('', `Migrations since ${plan.to}, newest first:`);
    for (const m of plan.migrations) {
      const applied = m.applied === null ? '' : m.applied ? ' applied' : ' not applied';
      const code = m.codeRollback === 'compatible' ? c.green('compatible') : c.red(m.codeRollback);
      lines.push(`  ${m.id}  ${m.path}${c.dim(applied)}  code of ${plan.to}: ${code}`);
      for (const b of m.breaks) lines.push(`      ${c.dim(b)}`);
    }
  }
  if (plan.plan === 'code-only') lines.push('', c.green(`Roll back the code only, keep the schema: the code of ${plan.to} runs on it.`));
  if (plan.plan === 'downs') {
    lines.push('', `Run these downs first, newest first, then roll back the code:`);
    for (const d of plan.downs) {
      const db = d.dbRollback === 'reversible' ? c.green(d.dbRollback) : c.red(d.dbRollback);
      lines.push(`  ${d.id}  ${d.hasDown ? '' : c.red('no down  ')}dbRollback: ${db}`);
      for (const t of d.tables)
        lines.push(
          `      ${c.dim(`table ${t.table}: ${t.rows === null ? 'rows not estimated' : `~${t.rows} rows`}, ${formatBytes(t.bytes)}`)}`,
        );
      for (const l of d.lost)
        lines.push(
          `      ${l.rows === null ? c.yellow('not counted') : l.rows > 0 ? c.red(`${l.rows} lost`) : c.green('0 lost')}: ${l.what} (${l.table}${l.column ? `.${l.column}` : ''})${l.error ? ` — ${l.error}` : ''}`,
        );
    }
    if (plan.commands.length) {
      lines.push('', 'Commands:');
      for (const cmd of plan.commands) lines.push(`  ${cmd}`);
    }
  }
  for (const m of plan.appliedMissing)
    lines.push('', c.yellow(`${m.table} records ${m.entry}: applied, but no migration of this code matches it.`));
  if (plan.problems.length) {
    lines.push('', c.red(`Not safe as planned:`));
    for (const p of plan.problems) lines.push(`  - ${p}`);
  } else if (plan.plan === 'downs') lines.push('', c.green('Safe as planned: no down loses data.'));
  for (const e of plan.errors) lines.push(c.yellow(`${e.path}:${e.line}:${e.column}: ${e.message}`));
  return `${lines.join('\n')}\n`;
}
