/**
 * The one place that reads the environment. Every variable is parsed with zod; a bad value
 * stops start-up with a message naming the variable. Documented in the README's table.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalUrl = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .url()
      .refine(
        (u) => URL.canParse(u) && protocols.includes(new URL(u).protocol),
        `must start with ${protocols.join(' or ')}`,
      )
      .optional(),
  );
const bool = (fallback: boolean) =>
  z
    .preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).optional())
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

export const EnvSchema = z
  .object({
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    HOST: z.preprocess(emptyToUndefined, z.string().min(1).default('127.0.0.1')),
    PUBLIC_URL: optionalUrl(['http:', 'https:']),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().min(1).default('.data')),
    REDIS_URL: optionalUrl(['redis:', 'rediss:']),
    LIVEKIT_URL: optionalUrl(['ws:', 'wss:', 'http:', 'https:']),
    LIVEKIT_PUBLIC_URL: optionalUrl(['ws:', 'wss:', 'http:', 'https:']),
    LIVEKIT_API_KEY: z.preprocess(emptyToUndefined, z.string().min(3).max(200).optional()),
    LIVEKIT_API_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    DEMO_CONTENT: bool(true),
    SECRET_KEY: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    ADMIN_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(10, 'must be at least 10 characters').optional()),
    COLLOQUY_HOME: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
    TRUST_PROXY: bool(false),
    RECORDING_ENABLED: bool(true),
    RECORDER: z.preprocess(emptyToUndefined, z.enum(['chromium', 'external']).default('chromium')),
    CHROMIUM_PATH: z.preprocess(emptyToUndefined, z.string().min(1).default('/usr/bin/chromium')),
    TRANSCRIBE_URL: optionalUrl(['http:', 'https:']),
    TRANSCRIBE_API_KEY: z.preprocess(emptyToUndefined, z.string().min(1).max(500).optional()),
    TRANSCRIBE_MODEL: z.preprocess(emptyToUndefined, z.string().min(1).max(200).default('whisper-1')),
  })
  .superRefine((env, ctx) => {
    if (env.LIVEKIT_URL && !(env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET)) {
      for (const name of ['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when LIVEKIT_URL is set' });
      }
    }
  });

/** Names of every variable the app reads (the docker-compose test checks against this). */
export const ENV_NAMES = Object.keys(EnvSchema.shape) as (keyof z.infer<typeof EnvSchema>)[];

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** Where built tools (livekit-server, Node 24) are cached across clones. */
  home: string;
  /** Unset: start an embedded redis-server. */
  redisUrl: string | undefined;
  livekit:
    | { embedded: false; url: string; publicUrl: string; apiKey: string; apiSecret: string }
    | { embedded: true; publicUrl: string | undefined };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  demoContent: boolean;
  trustProxy: boolean;
  /** Signs invite links; generated under dataDir when unset. */
  secretKey: string | undefined;
  /** For `npm run admin:create` without prompts. */
  admin: { email: string | undefined; password: string | undefined };
  /** Recording live events (server/src/recording): on/off, which recorder, and its Chromium. */
  recording: { enabled: boolean; recorder: 'chromium' | 'external'; chromiumPath: string };
  /** Speech to text: an OpenAI-compatible endpoint when `url` is set, else pocketsphinx. */
  transcribe: { url: string | undefined; apiKey: string | undefined; model: string };
}

export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment (defaults to process.env); throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? 'environment'), message: i.message })),
    );
  }
  const e = parsed.data;
  const livekit: Config['livekit'] =
    e.LIVEKIT_URL && e.LIVEKIT_API_KEY && e.LIVEKIT_API_SECRET
      ? {
          embedded: false,
          url: e.LIVEKIT_URL,
          publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL,
          apiKey: e.LIVEKIT_API_KEY,
          apiSecret: e.LIVEKIT_API_SECRET,
        }
      : { embedded: true, publicUrl: e.LIVEKIT_PUBLIC_URL };
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(cwd, e.DATA_DIR),
    home: e.COLLOQUY_HOME ?? path.join(os.homedir(), '.colloquy'),
    redisUrl: e.REDIS_URL,
    livekit,
    logLevel: e.LOG_LEVEL,
    demoContent: e.DEMO_CONTENT,
    trustProxy: e.TRUST_PROXY,
    secretKey: e.SECRET_KEY,
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    recording: { enabled: e.RECORDING_ENABLED, recorder: e.RECORDER, chromiumPath: e.CHROMIUM_PATH },
    transcribe: { url: e.TRANSCRIBE_URL, apiKey: e.TRANSCRIBE_API_KEY, model: e.TRANSCRIBE_MODEL },
  };
}
