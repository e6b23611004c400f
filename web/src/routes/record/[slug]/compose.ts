/**
 * Draws the stage onto a canvas: speakers' cameras in a grid, or a screen share in focus with the
 * cameras in a column beside it. Names at the foot of each tile, a ring around whoever speaks.
 */
export interface TileSource {
  key: string;
  name: string;
  speaking: boolean;
  /** A playing <video> of the camera, or null (then the initials are drawn). */
  camera: HTMLVideoElement | null;
}

export interface StageScene {
  title: string;
  tiles: TileSource[];
  screen: { name: string; video: HTMLVideoElement } | null;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const BG = '#101418';
const TILE = '#1f262d';
const GAP = 12;

/** Places `n` 16:9 tiles as large as they fit in `area`. */
export function gridRects(n: number, area: Rect): Rect[] {
  if (n === 0) return [];
  let best: { cols: number; w: number; h: number } = { cols: 1, w: 0, h: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    let w = (area.w - GAP * (cols - 1)) / cols;
    let h = (w * 9) / 16;
    if (h * rows + GAP * (rows - 1) > area.h) {
      h = (area.h - GAP * (rows - 1)) / rows;
      w = (h * 16) / 9;
    }
    if (w > best.w) best = { cols, w, h };
  }
  const rows = Math.ceil(n / best.cols);
  const totalH = rows * best.h + (rows - 1) * GAP;
  const out: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / best.cols);
    const inRow = row === rows - 1 ? n - row * best.cols : best.cols;
    const rowW = inRow * best.w + (inRow - 1) * GAP;
    const col = i - row * best.cols;
    out.push({
      x: area.x + (area.w - rowW) / 2 + col * (best.w + GAP),
      y: area.y + (area.h - totalH) / 2 + row * (best.h + GAP),
      w: best.w,
      h: best.h,
    });
  }
  return out;
}

function drawVideo(ctx: CanvasRenderingContext2D, v: HTMLVideoElement, r: Rect, fit: 'cover' | 'contain') {
  const vw = v.videoWidth;
  const vh = v.videoHeight;
  if (!vw || !vh) return false;
  const scale = fit === 'cover' ? Math.max(r.w / vw, r.h / vh) : Math.min(r.w / vw, r.h / vh);
  const w = vw * scale;
  const h = vh * scale;
  ctx.save();
  ctx.beginPath();
  ctx.rect(r.x, r.y, r.w, r.h);
  ctx.clip();
  ctx.drawImage(v, r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h);
  ctx.restore();
  return true;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('') || '?';

function drawTile(ctx: CanvasRenderingContext2D, t: TileSource, r: Rect) {
  ctx.fillStyle = TILE;
  ctx.fillRect(r.x, r.y, r.w, r.h);
  if (!t.camera || !drawVideo(ctx, t.camera, r, 'cover')) {
    ctx.fillStyle = '#e8edf2';
    ctx.font = `600 ${Math.round(r.h / 4)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(initials(t.name), r.x + r.w / 2, r.y + r.h / 2);
  }
  const size = Math.max(12, Math.round(Math.min(22, r.h / 12)));
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
  const label = t.name.length > 40 ? t.name.slice(0, 39) + '…' : t.name;
  const lw = ctx.measureText(label).width + size;
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.fillRect(r.x + 8, r.y + r.h - size * 1.8 - 8, lw, size * 1.8);
  ctx.fillStyle = '#fff';
  ctx.fillText(label, r.x + 8 + size / 2, r.y + r.h - 8 - size * 0.55);
  if (t.speaking) {
    ctx.strokeStyle = '#3fb68b';
    ctx.lineWidth = 4;
    ctx.strokeRect(r.x + 2, r.y + 2, r.w - 4, r.h - 4);
  }
}

export function drawStage(ctx: CanvasRenderingContext2D, scene: StageScene): void {
  const { width: W, height: H } = ctx.canvas;
  ctx.fillStyle = BG;
  ctx.fillRect(0, 0, W, H);
  const area: Rect = { x: GAP * 2, y: GAP * 2, w: W - GAP * 4, h: H - GAP * 4 };
  if (scene.screen) {
    const side = scene.tiles.length > 0 ? Math.round(area.w * 0.2) : 0;
    const focus: Rect = { x: area.x, y: area.y, w: area.w - side - (side ? GAP : 0), h: area.h };
    ctx.fillStyle = '#000';
    ctx.fillRect(focus.x, focus.y, focus.w, focus.h);
    drawVideo(ctx, scene.screen.video, focus, 'contain');
    if (side) {
      const column: Rect = { x: focus.x + focus.w + GAP, y: area.y, w: side, h: area.h };
      const h = Math.min((side * 9) / 16, (column.h - GAP * (scene.tiles.length - 1)) / scene.tiles.length);
      const w = (h * 16) / 9;
      scene.tiles.forEach((t, i) =>
        drawTile(ctx, t, { x: column.x + (side - w) / 2, y: column.y + i * (h + GAP), w, h }),
      );
    }
    return;
  }
  if (scene.tiles.length === 0) {
    ctx.fillStyle = '#e8edf2';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `600 ${Math.round(H / 18)}px system-ui, sans-serif`;
    ctx.fillText(scene.title, W / 2, H / 2 - H / 20);
    ctx.font = `${Math.round(H / 30)}px system-ui, sans-serif`;
    ctx.fillStyle = '#9aa7b3';
    ctx.fillText('The speakers will be here in a moment', W / 2, H / 2 + H / 20);
    return;
  }
  const rects = gridRects(scene.tiles.length, area);
  scene.tiles.forEach((t, i) => drawTile(ctx, t, rects[i]!));
}
