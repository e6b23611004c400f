/**
 * livekit-server CPU per subscriber under LiveKit's own load tester, `lk load-test` (livekit-cli),
 * against a livekit-server of this benchmark's own (127.0.0.1, free ports) so nothing else shares
 * its process: one simulcast video publisher with no subscriber (the baseline), then the same with
 * N subscribers. CPU is read from /proc/<pid>/stat (utime + stime) over the steady part of each run.
 *
 * lk is not built by the benchmark (a few minutes and ~125 MB). See LK_RECIPE.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { loadConfig } from '../../../server/src/config/index.ts';
import { ensureLivekitServer } from '../../../server/src/services/install.ts';
import { startLivekitServer, type LivekitServerHandle } from '../../../server/src/services/livekit-server.ts';
import { freePort } from '../../../server/src/services/ports.ts';

export const LK_VERSION = 'v2.18.2';

/** How lk was built here (see docs/decisions/0013-live-stage-in-the-browser.md for why each step). */
export const LK_RECIPE = `lk (livekit-cli ${LK_VERSION}) is not at $COLLOQUY_HOME/bin/lk. Build it once:
  go mod download -json github.com/livekit/livekit-cli/v2@${LK_VERSION}   # prints its Dir
  cp -r <Dir> /tmp/lk-src && chmod -R u+w /tmp/lk-src && cd /tmp/lk-src
  # if the proxy refuses livekit/protocol's pseudo-version, use the one livekit-server v1.13.5 uses:
  go mod edit -replace github.com/livekit/protocol=github.com/livekit/protocol@v1.50.5-0.20260728075222-28e604c046c6
  # pion leaves loopback ICE candidates out, and our livekit-server offers only 127.0.0.1: patch the SDK
  # (copy server-sdk-go/v2@v2.18.1 to ../sdk; in transport.go, when LIVEKIT_LOOPBACK_ONLY=1, call
  # se.SetIncludeLoopbackCandidate(true) and filter interfaces to "lo"), then:
  go mod edit -replace github.com/livekit/server-sdk-go/v2=../sdk
  # the sample videos in pkg/provider/resources are Git LFS pointers in the module zip: make synthetic
  # ones with ffmpeg (testsrc2; same names, sizes, frame rates, bitrates; tests/bench/stage/lk-media.sh)
  sh tests/bench/stage/lk-media.sh /tmp/lk-src/pkg/provider/resources
  # the module zip lacks PortAudio's sources (a git submodule): link the system one (apt: portaudio19-dev)
  go build -mod=mod -tags portaudio_system -o $COLLOQUY_HOME/bin/lk ./cmd/lk`;

export function lkPath(): string | null {
  const p = path.join(loadConfig().home, 'bin', 'lk');
  return fs.existsSync(p) ? p : null;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (s) the process has used so far: utime + stime from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

export interface CpuPhase {
  subscribers: number;
  /** livekit-server CPU over the window, in % of one core. */
  cpuPercent: number;
  windowSeconds: number;
  /** What lk printed at the end (its own summary of tracks and bitrate). */
  summary: string;
}

/** Runs `lk load-test` for `seconds`, measuring the server's CPU from `warmup` s to 1 s before the end. */
async function loadPhase(
  lk: string,
  server: LivekitServerHandle,
  subscribers: number,
  seconds: number,
  warmup: number,
): Promise<CpuPhase> {
  const pid = server.child.process.pid!;
  const room = `cpu-${subscribers}-${crypto.randomBytes(3).toString('hex')}`;
  const args = [
    'load-test',
    '--url',
    server.url,
    '--api-key',
    server.apiKey,
    '--api-secret',
    server.apiSecret,
    '--room',
    room,
    '--video-publishers',
    '1',
    '--subscribers',
    String(subscribers),
    '--num-per-second',
    '10',
    // VP8, as livekit-client publishes by default.
    '--video-codec',
    'vp8',
    '--duration',
    `${seconds}s`,
    '--yes',
  ];
  // LIVEKIT_LOOPBACK_ONLY: our patch to lk's WebRTC transport (see LK_RECIPE), so media stays on 127.0.0.1.
  const child = spawn(lk, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LIVEKIT_LOOPBACK_ONLY: '1' },
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    await sleep(warmup * 1000);
    const c0 = cpuSeconds(pid);
    const t0 = performance.now();
    await sleep((seconds - warmup - 1) * 1000);
    const c1 = cpuSeconds(pid);
    const window = (performance.now() - t0) / 1000;
    const code = await Promise.race([exited, sleep(20_000).then(() => -1)]);
    if (code !== 0) throw new Error(`lk load-test exited with ${code}:\n${out.slice(-2000)}`);
    // The subscribers must really have received the track, or the figure means nothing.
    const total = /Total\s*│\s*(\d+)\/(\d+)/.exec(out);
    if (subscribers > 0 && (!total || total[1] !== total[2] || total[2] === '0')) {
      throw new Error(`lk load-test subscribers did not all receive the video track:\n${out.slice(-2000)}`);
    }
    return {
      subscribers,
      cpuPercent: ((c1 - c0) / window) * 100,
      windowSeconds: window,
      summary: out.trim().split('\n').slice(-12).join('\n'),
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGINT');
  }
}

export interface CpuResult {
  baseline: CpuPhase;
  loaded: CpuPhase;
  perSubscriber: number;
}

/** Starts its own livekit-server, runs the zero-subscriber phase and the N-subscriber phase, stops it. */
export async function measureCpuPerSubscriber(opts: {
  lk: string;
  subscribers: number;
  seconds: number;
  say(m: string): void;
}): Promise<CpuResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-bench-lk-'));
  const server = await startLivekitServer({
    binary: await ensureLivekitServer(loadConfig().home, opts.say),
    dir,
    port: await freePort(),
    rtcTcpPort: await freePort(),
    rtcUdpPort: await freePort(),
    apiKey: 'APIcpu' + crypto.randomBytes(4).toString('hex'),
    apiSecret: crypto.randomBytes(32).toString('base64url'),
  });
  try {
    const warmup = Math.min(8, Math.max(3, Math.floor(opts.seconds / 3)));
    opts.say(`lk load-test: 1 video publisher, 0 subscribers, ${opts.seconds} s`);
    const baseline = await loadPhase(opts.lk, server, 0, opts.seconds, warmup);
    opts.say(`  livekit-server ${baseline.cpuPercent.toFixed(1)}% of a core`);
    opts.say(`lk load-test: 1 video publisher, ${opts.subscribers} subscribers, ${opts.seconds} s`);
    const loaded = await loadPhase(opts.lk, server, opts.subscribers, opts.seconds, warmup);
    opts.say(`  livekit-server ${loaded.cpuPercent.toFixed(1)}% of a core`);
    return { baseline, loaded, perSubscriber: (loaded.cpuPercent - baseline.cpuPercent) / opts.subscribers };
  } finally {
    await server.child.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
