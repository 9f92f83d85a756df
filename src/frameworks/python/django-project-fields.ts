// Field classes a Django project defines itself (`saleor.core.db.fields.SanitizedJSONField`): read from the project's
// own source, never run, and judged by the built-in field they subclass, as long as they do not change the column.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readText } from '../sql-files.js';
import { type SyntaxNode, withPythonTree } from './ast.js';
import { fieldClass, type KnownField } from './django-fields.js';
import { importedNames, qualifiedName } from './values.js';

/** Methods by which a field decides its own column: a subclass defining one is not judged by its base. */
const COLUMN_METHODS = new Set(['db_type', 'rel_db_type', 'db_parameters', 'get_internal_type', 'db_type_suffix', 'cast_db_type']);

/** How many classes up the chain are followed. */
const MAX_DEPTH = 8;

/** A resolver of the project's field classes under `root`, remembering each class it reads. */
export function projectFieldClasses(root: string): (path: string) => KnownField | null {
  const known = new Map<string, KnownField | null>();
  const resolve = (path: string, depth: number): KnownField | null => {
    const builtIn = fieldClass(path);
    if (builtIn) return builtIn;
    if (depth > MAX_DEPTH) return null;
    if (known.has(path)) return known.get(path) ?? null;
    known.set(path, null);
    const dot = path.lastIndexOf('.');
    const module = path.slice(0, dot);
    const name = path.slice(dot + 1);
    // Modules are found from the project root, or from the folder above it when the root is itself a package.
    const file = [root, dirname(root)]
      .flatMap((r) => [`${join(r, ...module.split('.'))}.py`, join(r, ...module.split('.'), '__init__.py')])
      .find((f) => existsSync(f));
    const read = file ? readText(file, file) : null;
    // Relative imports are relative to the module's package: the module itself when it is a package's __init__.
    const pkg = file?.endsWith('__init__.py') ? `${module}.__init__` : module;
    if (!read?.ok) return null;
    const found = withPythonTree(read.text, (tree) => {
      const cls = classNamed(tree, name);
      if (!cls) {
        // Re-exported by the module (`from .fields import X`): follow the import.
        const imported = importOf(tree, name, pkg);
        return imported ? { base: imported } : null;
      }
      const body = cls.childForFieldName('body');
      const methods = (body?.namedChildren ?? []).map((s) => (s?.type === 'decorated_definition' ? s.childForFieldName('definition') : s));
      if (methods.some((m) => m?.type === 'function_definition' && COLUMN_METHODS.has(m.childForFieldName('name')?.text ?? '')))
        return null;
      const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).filter((b): b is SyntaxNode => b !== null);
      // The first base that is a field decides; mixins before it are read as Python-only.
      for (const b of bases) {
        const written = qualifiedName(b);
        if (!written) continue;
        // A bare name no import binds is a class of this module.
        return { base: written.includes('.') ? relativeTo(written, pkg) : `${module}.${written}` };
      }
      return null;
    });
    const result = found ? resolve(found.base, depth + 1) : null;
    known.set(path, result);
    return result;
  };
  return (path) => resolve(path, 0);
}

function classNamed(module: SyntaxNode, name: string): SyntaxNode | null {
  for (const stmt of module.namedChildren) {
    const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'class_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return null;
}

function importOf(module: SyntaxNode, name: string, modulePath: string): string | null {
  for (const stmt of module.namedChildren) {
    if (stmt?.type !== 'import_from_statement') continue;
    const path = importedNames(stmt).get(name);
    if (path) return relativeTo(path, modulePath);
  }
  return null;
}

/** `.fields.X` imported in package `a.b` → `a.b.fields.X`; `..x.Y` goes one package up. */
function relativeTo(path: string, modulePath: string): string {
  if (!path.startsWith('.')) return path;
  const dots = path.length - path.replace(/^\.+/, '').length;
  const parts = modulePath.split('.');
  const base = parts.slice(0, Math.max(0, parts.length - dots));
  return [...base, path.slice(dots)].filter(Boolean).join('.');
}
