import { help } from '../help.js';
import { qnameKey, qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-view',
  category: 'breaks-old-code',
  severity: 'warning',
  summary: 'Dropping a view or materialized view is a contract step: code that still reads it breaks.',
  lock: 'ACCESS EXCLUSIVE on the view, brief (catalog only); a materialized view also frees its storage.',
  direction: 'up',
  kinds: ['DropView'],
  docs: `
A view holds no data of its own, so dropping it destroys nothing: a down that re-creates it
(with the same query) brings it back. But the release still running may query it (reports,
a compatibility view left by a rename): those queries fail. A contract step, safe once no
release reads the view.

A materialized view stores its rows; they are recomputed from its query, so nothing is lost,
but the down must run the whole query again (\`CREATE MATERIALIZED VIEW … WITH DATA\`), which
can take as long as the original build, and the view is empty or missing meanwhile.

\`DROP VIEW … CASCADE\` also drops the views built on it. A view dropped and created again
under the same name in the same migration is a redefinition: no finding.

Do instead: release code that no longer reads the view, then drop it in a migration marked
\`-- twoway: contract\`. Keep the view's definition in the down so the rollback can re-create it.

Rails (scenic): \`drop_view :name, revert_to_version: n\` keeps the old definition for the down;
Django: \`RunSQL(drop, reverse_sql=create)\`.`,
  check(op, ctx) {
    const key = qnameKey(op.name);
    if (!ctx.start.views.has(key) && ctx.schema.views.has(key)) return null;
    // DROP then CREATE under the same name in the same migration redefines the view.
    if (ctx.ops.slice(ctx.index + 1).some((o) => o.kind === 'CreateView' && qnameKey(o.name) === key)) return null;
    const name = qnameText(op.name);
    const kind = op.materialized ? 'materialized view' : 'view';
    const rebuild = op.materialized ? ' Its rows are recomputed, not lost, but a down must run its whole query again.' : '';
    return {
      message: `Dropping ${kind} ${name} is a contract step: the release still running breaks if it reads ${name}.${rebuild}`,
      fix: help`Release code that no longer reads ${name}, then drop it in a migration marked "-- twoway: contract", with a down that re-creates it.`,
      effect: { phase: 'contract' },
    };
  },
});
