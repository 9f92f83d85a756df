// Prisma models of a release's schema.prisma, read with @mrleebo/prisma-ast: the table of each model
// (`@@map`, else the model name) and its scalar fields' columns (`@map`, else the field name). Prisma
// Client selects only the fields its schema declares.
import { getSchema, PrismaParser, VisitorClassFactory } from '@mrleebo/prisma-ast';
import { type Line, lineAt, type ReleaseFacts } from './facts.js';

let parser: PrismaParser | null = null;
let visitor: InstanceType<ReturnType<typeof VisitorClassFactory>> | null = null;

export function readPrisma(files: ReadonlyArray<{ path: string; text: string }>, facts: ReleaseFacts): void {
  // A parser of its own, with positions: the default one reads a config file from the working directory.
  parser ??= new PrismaParser({ nodeLocationTracking: 'full' });
  visitor ??= new (VisitorClassFactory(parser))(parser);
  for (const f of files) {
    let schema: ReturnType<typeof getSchema>;
    try {
      schema = getSchema(f.text, { parser, visitor });
    } catch (e) {
      facts.unparsed.push(lineAt(f.path, f.text, (e as { token?: { startLine?: number } }).token?.startLine ?? 1));
      continue;
    }
    facts.filesRead++;
    const models = schema.list.filter((b) => b.type === 'model');
    const modelNames = new Set(models.map((m) => m.name));
    const enumNames = new Set(schema.list.filter((b) => b.type === 'enum').map((b) => (b as { name: string }).name));
    for (const m of models) {
      const at = lineAt(f.path, f.text, m.location?.startLine ?? 1);
      let table = m.name;
      const columns = new Map<string, Line>();
      for (const p of m.properties) {
        if (p.type === 'attribute' && p.name === 'map' && p.kind === 'object') table = unquote(p.args?.[0]?.value) ?? table;
        if (p.type !== 'field') continue;
        const type = typeof p.fieldType === 'string' ? p.fieldType : '';
        // A relation field (another model, a list of them) is no column; its foreign key is a scalar field.
        if (modelNames.has(type) && !enumNames.has(type)) continue;
        const mapped = p.attributes?.find((a) => a.name === 'map');
        columns.set(unquote(mapped?.args?.[0]?.value) ?? p.name, lineAt(f.path, f.text, p.location?.startLine ?? at.line));
      }
      facts.models.push({ orm: 'prisma', table, at, columns, ignored: new Map() });
    }
  }
}

function unquote(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  return v.startsWith('"') && v.endsWith('"') ? JSON.parse(v) : null;
}
