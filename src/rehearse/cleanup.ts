// However a rehearsal ends, what it made goes: SIGINT, SIGTERM and SIGHUP run every registered
// clean-up (drop the scratch database, end the embedded engine), say what it did on stderr and exit
// 130, 143 or 129, never with a stack trace. A run killed outright (SIGKILL) cannot clean up: its
// scratch database carries a name the next run recognises (scratch.ts) and drops.
import { errorMessage } from './engine.js';

/** Undoes what a run made; returns what to tell the user ("dropped scratch database …"), if anything. */
export type Cleanup = () => Promise<string | null>;

const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof EXIT_CODES;

/** A clean-up that does not finish in this time does not keep the process alive. */
const CLEANUP_LIMIT_MS = 15_000;

const cleanups = new Set<Cleanup>();
let stopping = false;

const listeners = Object.fromEntries(Object.keys(EXIT_CODES).map((signal) => [signal, () => void stop(signal as HandledSignal)])) as Record<
  HandledSignal,
  () => void
>;

/** Runs `cleanup` if a signal ends the process; the returned function unregisters it (the run ended normally). */
export function onInterrupt(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) for (const [signal, listener] of Object.entries(listeners)) process.on(signal, listener);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const [signal, listener] of Object.entries(listeners)) process.off(signal, listener);
  };
}

/** True once a signal started the clean-up: errors from then on are its doing, not the migrations'. */
export function interrupted(): boolean {
  return stopping;
}

/** Settles as `work` does, unless the run is being interrupted: then never, so no one reports what the clean-up broke. */
export function unlessInterrupted<T>(work: Promise<T>): Promise<T> {
  const never = new Promise<never>(() => {});
  return work.then(
    (value) => (stopping ? never : value),
    (e) => (stopping ? never : Promise.reject(e)),
  );
}

async function stop(signal: HandledSignal): Promise<void> {
  if (stopping) return;
  stopping = true;
  const limit = setTimeout(() => process.exit(EXIT_CODES[signal]), CLEANUP_LIMIT_MS);
  const said = await Promise.all([...cleanups].map((c) => c().catch((e) => `clean-up failed: ${errorMessage(e)}`)));
  clearTimeout(limit);
  for (const line of said) if (line) process.stderr.write(`twoway: ${signal}: ${line}\n`);
  process.exit(EXIT_CODES[signal]);
}
