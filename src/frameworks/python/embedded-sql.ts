// SQL written inside Python strings (op.execute, RunSQL): parsed by the SQL parser at the string's position.
import { directivesInComment } from '../../directives.js';
import type { Dialect, Operation } from '../../ir.js';
import type { Directive, ReadError, SourceText } from '../../migration.js';
import { parseSql } from '../../sql/index.js';
import { type SyntaxNode, spanOf } from './ast.js';
import { type StringLiteral, stringLiteral } from './values.js';

export interface EmbeddedSql {
  ops: Operation[];
  errors: ReadError[];
  directives: Directive[];
}

/** Null when the node is not a string a reader can know (a value computed at run time). */
export function embeddedSql(node: SyntaxNode | null | undefined, file: SourceText, dialect: Dialect): EmbeddedSql | null {
  const literal = stringLiteral(node);
  return literal ? embeddedSqlOf(literal, file, dialect) : null;
}

/**
 * The SQL of a known string. A literal is parsed at its own position; a string built from parts (an f-string,
 * `+`, a constant's `%`) has no position of its own inside, so its statements and errors point at the expression.
 */
export function embeddedSqlOf(literal: StringLiteral, file: SourceText, dialect: Dialect): EmbeddedSql {
  const source: SourceText = {
    path: file.path,
    text: literal.value,
    startLine: file.startLine - 1 + literal.line,
    startColumn: literal.column,
    language: 'sql',
  };
  const parsed = parseSql(source, dialect);
  const directives = parsed.comments.flatMap((c) => directivesInComment(c.text, c.span));
  if (!literal.computed) return { ops: parsed.ops, errors: parsed.errors, directives };
  const span = spanOf(literal.node, file);
  return {
    ops: parsed.ops.map((op) => ({ ...op, span })),
    errors: parsed.errors.map((e) => ({ ...e, line: span.line, column: span.column })),
    directives,
  };
}
