/**
 * Fonts for PNG rendering. resvg draws no text without a font file, so it is pointed at DejaVu Sans (Debian
 * package fonts-dejavu-core) when present, and otherwise falls back to whatever system fonts it can find.
 */
import { existsSync } from 'node:fs';

export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_PACKAGE_HINT = 'install a sans-serif font (Debian: apt-get install fonts-dejavu-core) for text in PNG plots';

const DEJAVU_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
];

export interface FontChoice {
  fontFiles: string[];
  loadSystemFonts: boolean;
}

export function findFonts(exists: (path: string) => boolean = existsSync): FontChoice {
  const fontFiles = DEJAVU_CANDIDATES.filter(exists).slice(0, 1);
  return { fontFiles, loadSystemFonts: fontFiles.length === 0 };
}
