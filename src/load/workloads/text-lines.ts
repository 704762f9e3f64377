/**
 * The ocr workload: single text lines as a text detector would crop them from receipts, invoices, labels and
 * notes, each rendered to an RGB image with a real font (DejaVu, through resvg) and kept with the string it
 * shows, so recognition can be scored against ground truth. Content: words in mixed case, numbers, prices,
 * dates, times, codes, phone numbers and e-mail addresses, 5–40 characters, every one of them in PaddleOCR's
 * ppocr_keys_v1 dictionary (so no € or £). Rendering: black to dark-grey ink on white to light-grey paper,
 * DejaVu Sans, Serif or Sans Mono (bold now and then), 40–60 px high with the text at about two thirds of the
 * height, a few pixels of margin, cropped after the last inked column. Deterministic for a given random source.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { uniformSource } from '../../random/rng.ts';
import { findFonts, FONT_PACKAGE_HINT } from '../../report/fonts.ts';
import { logNormalInt, pick } from './draws.ts';

const MIN_CHARS = 5;
const MAX_CHARS = 40;

const WORDS = [
  'total', 'amount', 'invoice', 'order', 'receipt', 'customer', 'delivery', 'payment', 'balance', 'account', 'price',
  'discount', 'tax', 'subtotal', 'cash', 'change', 'card', 'number', 'date', 'due', 'item', 'quantity', 'unit', 'coffee',
  'milk', 'bread', 'apples', 'rice', 'water', 'tea', 'sugar', 'butter', 'cheese', 'chicken', 'room', 'floor', 'street',
  'road', 'avenue', 'station', 'platform', 'gate', 'flight', 'seat', 'ticket', 'meeting', 'office', 'open', 'closed',
  'monday', 'friday', 'sunday', 'morning', 'evening', 'welcome', 'thank', 'you', 'please', 'call', 'visit', 'us', 'at',
  'for', 'the', 'and', 'of', 'to', 'in', 'on', 'with', 'new', 'free', 'best', 'fresh', 'large', 'small', 'extra', 'only',
  'today', 'store', 'market', 'hotel', 'bank', 'city', 'park', 'north', 'south', 'east', 'west', 'center', 'service',
];
const CITIES = ['London', 'Paris', 'Berlin', 'Madrid', 'Toronto', 'Sydney', 'Boston', 'Seattle', 'Dublin', 'Oslo', 'Vienna', 'Austin'];
const STREETS = ['Baker St', 'Main Street', 'Oak Avenue', 'High Road', 'Park Lane', 'King St', 'Elm Drive', 'Mill Road'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LABELS = ['Total', 'TOTAL', 'Subtotal', 'Tax', 'VAT', 'Amount', 'Balance', 'Price', 'Paid', 'Due', 'Change', 'Tip'];
const UNITS = ['kg', 'g', 'ml', 'L', 'pcs', 'x', 'oz', 'lb'];
const DOMAINS = ['example.com', 'mail.org', 'shop.net', 'company.co'];
/** No ¥: the recognizer reads it as the full-width ￥ of its Chinese training data. */
const CURRENCY = ['$', '$', '$', 'USD ', ''];

const int = (random: () => number, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
const pad2 = (n: number): string => String(n).padStart(2, '0');
const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** A word as it appears on paper: lower case, Capitalized or UPPER CASE. */
function word(random: () => number): string {
  const w = pick(WORDS, random);
  const style = random();
  return style < 0.5 ? w : style < 0.85 ? capital(w) : w.toUpperCase();
}

function price(random: () => number): string {
  const value = (int(random, 1, random() < 0.8 ? 999 : 99_999) + int(random, 0, 99) / 100).toFixed(2);
  const grouped = random() < 0.5 ? value.replace(/\B(?=(\d{3})+\.)/g, ',') : value;
  return `${pick(CURRENCY, random)}${grouped}`;
}

function date(random: () => number): string {
  const [y, m, d] = [int(random, 1990, 2030), int(random, 1, 12), int(random, 1, 28)];
  return pick([`${y}-${pad2(m)}-${pad2(d)}`, `${pad2(d)}/${pad2(m)}/${y}`, `${m}/${d}/${y}`, `${d} ${MONTHS[m - 1]} ${y}`, `${d}.${m}.${y}`], random);
}

const time = (random: () => number): string => `${int(random, 0, 23)}:${pad2(int(random, 0, 59))}${random() < 0.3 ? pick([' AM', ' PM', ':00'], random) : ''}`;

const FRAGMENTS: readonly ((random: () => number) => string)[] = [
  (r) => `${pick(LABELS, r)}: ${price(r)}`,
  (r) => `${pick(LABELS, r)} ${price(r)}`,
  (r) => `${word(r)} ${word(r)} ${price(r)}`,
  (r) => `${int(r, 1, 12)} ${pick(UNITS, r)} ${word(r)} ${price(r)}`,
  (r) => `${capital(pick(WORDS, r))} ${date(r)}`,
  (r) => `Date: ${date(r)} ${time(r)}`,
  (r) => `${pick(['Order', 'Invoice', 'Ref', 'No.', 'Ticket'], r)} #${int(r, 100, 999_999)}`,
  (r) => `${int(r, 1, 999)} ${pick(STREETS, r)}, ${pick(CITIES, r)}`,
  (r) => `Tel: +${int(r, 1, 49)} (${int(r, 100, 999)}) ${int(r, 100, 999)}-${int(r, 1000, 9999)}`,
  (r) => `${pick(WORDS, r)}.${pick(WORDS, r)}@${pick(DOMAINS, r)}`,
  (r) => `${capital(pick(WORDS, r))} ${int(r, 5, 70)}% off`,
  (r) => `Open ${time(r)} - ${time(r)}`,
  (r) => `${pick(CITIES, r)} ${pick(['Gate', 'Platform', 'Seat', 'Room'], r)} ${int(r, 1, 99)}${pick(['', 'A', 'B', 'C'], r)}`,
  (r) => Array.from({ length: int(r, 2, 6) }, () => word(r)).join(' '),
  (r) => `${word(r)} ${int(r, 1, 99)}`,
  (r) => price(r),
  (r) => date(r),
];

/** One line's text: fragments joined by spaces until about a drawn length, always 5–40 characters. */
export function textLineContent(random: () => number): string {
  const target = logNormalInt(random, 18, 0.45, MIN_CHARS, MAX_CHARS);
  let line = pick(FRAGMENTS, random)(random);
  while (line.length < target) {
    const next = `${line} ${pick(FRAGMENTS, random)(random)}`;
    if (next.length > MAX_CHARS) break;
    line = next;
  }
  if (line.length > MAX_CHARS) line = line.slice(0, MAX_CHARS).trimEnd();
  return line.length >= MIN_CHARS ? line : `${line} ${int(random, 1000, 9999)}`;
}

/** A rendered line: its text, and its pixels as RGB rows (HWC, 0–255). */
export interface TextLineImage {
  text: string;
  height: number;
  width: number;
  rgb: Uint8Array;
}

/** The DejaVu faces of Debian's fonts-dejavu-core: each line is drawn with one of them. */
const FACES = [
  { file: 'DejaVuSans.ttf', family: 'DejaVu Sans', weight: 'normal' },
  { file: 'DejaVuSans-Bold.ttf', family: 'DejaVu Sans', weight: 'bold' },
  { file: 'DejaVuSerif.ttf', family: 'DejaVu Serif', weight: 'normal' },
  { file: 'DejaVuSerif-Bold.ttf', family: 'DejaVu Serif', weight: 'bold' },
  { file: 'DejaVuSansMono.ttf', family: 'DejaVu Sans Mono', weight: 'normal' },
] as const;

export interface LineFonts {
  files: string[];
  faces: { family: string; weight: string }[];
}

export type LineFontsOutcome = { ok: true; fonts: LineFonts } | { ok: false; message: string };

/** The DejaVu faces present beside DejaVu Sans (found as the report's PNG rendering finds it); none is an error, not a fallback, so lines render the same everywhere. */
export function lineFonts(exists: (path: string) => boolean = existsSync): LineFontsOutcome {
  const sans = findFonts(exists).fontFiles[0];
  if (sans === undefined) return { ok: false, message: `no DejaVu Sans font to render the ocr workload's text lines: ${FONT_PACKAGE_HINT}` };
  const present = FACES.filter((face) => exists(join(dirname(sans), face.file)));
  return { ok: true, fonts: { files: present.map((face) => join(dirname(sans), face.file)), faces: present.map(({ family, weight }) => ({ family, weight })) } };
}

/** Draws `text` as one line: a face, size, ink, paper and margins drawn from `random`. */
export function renderTextLine(text: string, random: () => number, fonts: LineFonts): TextLineImage {
  const face = pick(fonts.faces, random);
  const height = int(random, 40, 60);
  const fontSize = Math.round(height * (0.58 + random() * 0.1));
  const baseline = Math.round(height * 0.5 + fontSize * (0.34 + random() * 0.06));
  const left = int(random, 2, 10);
  const ink = int(random, 0, 70);
  const paper = int(random, 225, 255);
  const canvas = left + Math.ceil(text.length * fontSize * 0.75) + 16; // wider than any face's advance; cropped below
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas}" height="${height}">` +
    `<rect width="100%" height="100%" fill="rgb(${paper},${paper},${paper})"/>` +
    `<text x="${left}" y="${baseline}" font-family="${face.family}" font-weight="${face.weight}" font-size="${fontSize}" ` +
    `fill="rgb(${ink},${ink},${ink})" xml:space="preserve">${escapeXml(text)}</text></svg>`;
  const rendered = new Resvg(svg, { font: { fontFiles: fonts.files, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
  const width = Math.min(rendered.width, lastInkedColumn(rendered.pixels, rendered.width, rendered.height, paper) + 1 + int(random, 2, 10));
  return { text, height, width, rgb: croppedRgb(rendered.pixels, rendered.width, height, width) };
}

/** A line drawn from `random`: its text, then its rendering. */
export function textLine(random: () => number, fonts: LineFonts): TextLineImage {
  return renderTextLine(textLineContent(random), random, fonts);
}

/** The rightmost column with a pixel clearly darker than the paper (0 when there is none). */
function lastInkedColumn(rgba: Uint8Array, width: number, height: number, paper: number): number {
  for (let x = width - 1; x > 0; x--) {
    for (let y = 0; y < height; y++) if (rgba[(y * width + x) * 4]! < paper - 24) return x;
  }
  return 0;
}

function croppedRgb(rgba: Uint8Array, stride: number, height: number, width: number): Uint8Array {
  const rgb = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [from, to] = [(y * stride + x) * 4, (y * width + x) * 3];
      rgb[to] = rgba[from]!;
      rgb[to + 1] = rgba[from + 1]!;
      rgb[to + 2] = rgba[from + 2]!;
    }
  }
  return rgb;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The instance the server takes, {"image": [H][W][3]}, as JSON text. */
export function textLineJson(line: TextLineImage): string {
  const rows: string[] = [];
  for (let y = 0; y < line.height; y++) {
    const pixels: string[] = [];
    for (let x = 0; x < line.width; x++) {
      const i = (y * line.width + x) * 3;
      pixels.push(`[${line.rgb[i]},${line.rgb[i + 1]},${line.rgb[i + 2]}]`);
    }
    rows.push(`[${pixels.join(',')}]`);
  }
  return `{"image":[${rows.join(',')}]}`;
}

/** Built-in ocr, or any text-recognition model, gets these lines. */
export function isTextLineModel(model: string | { kind: string }): boolean {
  const kind = typeof model === 'string' ? model : model.kind;
  return kind === 'ocr' || kind === 'text-recognition';
}

export interface LabelledLine {
  text: string;
  instance: unknown;
}

/**
 * The first `count` lines seed `seed` draws, each as the instance sent and the text it shows: the load
 * generator's pool for that seed is the first TEXT_LINE_POOL of them, so scored lines are measured lines.
 */
export function labelledTextLines(count: number, seed: number): { ok: true; lines: LabelledLine[] } | { ok: false; message: string } {
  const found = lineFonts();
  if (!found.ok) return found;
  const random = uniformSource(seed);
  const lines = Array.from({ length: count }, () => {
    const line = textLine(random, found.fonts);
    return { text: line.text, instance: JSON.parse(textLineJson(line)) as unknown };
  });
  return { ok: true, lines };
}

/** Distinct lines drawn per seed of the load generator: enough variety of widths for batches to pad. */
export const TEXT_LINE_POOL = 64;

/** The load generator's text lines (as index.ts's generators are shaped); throws when no font can draw them. */
export function textLineGenerator(): { instance: (random: () => number) => string; poolSize: number; describe: string } {
  let fonts: LineFonts | undefined;
  return {
    instance: (random) => {
      if (fonts === undefined) {
        const found = lineFonts();
        if (!found.ok) throw new Error(found.message);
        fonts = found.fonts;
      }
      return textLineJson(textLine(random, fonts));
    },
    poolSize: TEXT_LINE_POOL,
    describe: 'rendered text lines (5–40 characters: words, prices, dates, codes), 40–60 px high',
  };
}
