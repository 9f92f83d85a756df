// Ruby's own parser (Prism, the parser of Ruby 3.4) for files tree-sitter finds an error in: whether
// the file really is invalid Ruby, and the message and place Ruby itself would report.
type PrismParse = (source: string) => { errors: Array<{ message: string; location: { startOffset: number } }> };

let prism: PrismParse | null = null;

/** Loads Prism's WebAssembly once. Node 20 warns that WASI is experimental when Prism imports it: not news for twoway's users. */
export async function loadRubySyntax(): Promise<void> {
  if (prism) return;
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(typeof warning === 'string' ? warning : warning.message).includes('WASI')) return;
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const { loadPrism } = await import('@ruby/prism');
    prism = (await loadPrism()) as unknown as PrismParse;
  } finally {
    process.emitWarning = emit;
  }
}

/** Ruby's first syntax error in `text` (character offset and message), null when the file is valid Ruby; undefined when Prism is not loaded. */
export function rubySyntaxError(text: string): { offset: number; message: string } | null | undefined {
  if (!prism) return undefined;
  // Prism lists first the error it met first; later ones are often its recovery's echoes.
  const [first] = prism(text).errors;
  if (!first) return null;
  // Prism counts bytes of UTF-8; positions in reports count characters.
  const offset = Buffer.from(text, 'utf8').subarray(0, first.location.startOffset).toString('utf8').length;
  return { offset, message: first.message };
}
