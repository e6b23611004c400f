import { ConfigError, loadConfig, type Config } from '../config/index.ts';

/** Progress lines for the command-line entry points. */
export const say = (message: string) => process.stderr.write(`\x1b[1m[colloquy]\x1b[0m ${message}\n`);
export const fail = (message: string, code = 1): never => {
  process.stderr.write(`\x1b[31m[colloquy] ${message}\x1b[0m\n`);
  process.exit(code);
};

/** The parsed configuration, or exit 2 with the message naming each bad variable. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message, 2);
    throw err;
  }
}
