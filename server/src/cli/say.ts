/** Progress lines for the command-line entry points. */
export const say = (message: string) => process.stderr.write(`\x1b[1m[colloquy]\x1b[0m ${message}\n`);
export const fail = (message: string, code = 1): never => {
  process.stderr.write(`\x1b[31m[colloquy] ${message}\x1b[0m\n`);
  process.exit(code);
};
