// SQL written inside Python strings (op.execute, RunSQL): parsed by the SQL parser at the string's position.
import { directivesInComment } from '../../directives.js';
import type { Dialect, Operation } from '../../ir.js';
import type { Directive, ReadError, SourceText } from '../../migration.js';
import { parseSql } from '../../sql/index.js';
import { type SyntaxNode, stringLiteral } from './ast.js';

export interface EmbeddedSql {
  ops: Operation[];
  errors: ReadError[];
  directives: Directive[];
}

/** Null when the node is not a literal string (f-string, variable, concatenation with a variable). */
export function embeddedSql(node: SyntaxNode | null | undefined, file: SourceText, dialect: Dialect): EmbeddedSql | null {
  const literal = stringLiteral(node);
  if (!literal) return null;
  const source: SourceText = {
    path: file.path,
    text: literal.value,
    startLine: file.startLine - 1 + literal.line,
    startColumn: literal.column,
    language: 'sql',
  };
  const parsed = parseSql(source, dialect);
  return {
    ops: parsed.ops,
    errors: parsed.errors,
    directives: parsed.comments.flatMap((c) => directivesInComment(c.text, c.span)),
  };
}
