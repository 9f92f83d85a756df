// The names of what a server rehearsal creates (a database, a role): twoway's by their prefix, with
// the second they were made, so a run killed before it could drop them (SIGKILL, a lost connection)
// leaves something the next run recognises, dates and drops. Shared by every server engine.
import { randomBytes } from 'node:crypto';

const PREFIX = 'twoway_rehearse_';

/** `twoway_rehearse_<unix seconds>_<random>`: 35 characters, a valid unquoted identifier everywhere. */
export function scratchName(now: Date = new Date()): string {
  return `${PREFIX}${Math.floor(now.getTime() / 1000)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Whether `name` is a scratch name, and when it was made: null when it is not twoway's, `made: null`
 * for the names of versions before the time was part of it (`twoway_rehearse_<12 hex>`).
 */
export function parseScratchName(name: string): { made: Date | null } | null {
  if (!name.startsWith(PREFIX)) return null;
  const rest = name.slice(PREFIX.length).split('_');
  const hex = (s: string | undefined, length: number) =>
    s !== undefined && s.length === length && [...s].every((c) => '0123456789abcdef'.includes(c));
  const digits = (s: string | undefined) => s !== undefined && s.length > 0 && [...s].every((c) => c >= '0' && c <= '9');
  if (rest.length === 2 && digits(rest[0]) && hex(rest[1], 8)) return { made: new Date(Number(rest[0]) * 1000) };
  if (rest.length === 1 && hex(rest[0], 12)) return { made: null };
  return null;
}

/** The application name a run's control connection carries while its scratch objects exist: how the next run tells a live run from a dead one. */
export function controlApplicationName(name: string): string {
  return `twoway rehearse ${name}`;
}

/** "twoway_rehearse_1712345678_a1b2c3d4 (made 2024-04-05 19:34:38 UTC)" */
export function describeScratch(name: string): string {
  const made = parseScratchName(name)?.made;
  return made ? `${name} (made ${made.toISOString().slice(0, 19).replace('T', ' ')} UTC)` : name;
}
