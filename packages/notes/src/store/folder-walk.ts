/**
 * Walking a notes folder: every Markdown file under the root (and in the trash), skipping hidden files and folders,
 * `node_modules` and symlinks. The store's temp files met on the way (hidden, in any folder a note can be written to)
 * are reported, for the sweep of killed writers' leftovers, and so is every folder, for the watcher.
 */
import { type Dirent, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { isTempFileName } from './temp-files.js';
import type { Slicer } from './time-slice.js';

/** Markdown files, by name. */
export const MARKDOWN = /\.(md|markdown)$/i;

/** A file found by a walk. */
export interface WalkedFile {
  /** Path inside the notes folder, `/`-separated. */
  relative: string;
  absolute: string;
}

/** What a walk visits. */
export interface WalkOptions {
  /** The folder walked (the notes folder, or a folder inside it). */
  dir: string;
  /** `dir` inside the notes folder, `/`-separated ('' for the notes folder itself). */
  relativeDir: string;
  /** The trash folder, absolute: walked although hidden. */
  trash: string;
  /** Told of each temp file of the store met. */
  onTemp: (absolute: string) => void;
  /** Told of each folder before its entries are read (a watcher set up here misses no change after the read). */
  onFolder?: (absolute: string) => void;
}

/** What to do with one directory entry: walk it, keep it, or skip it. */
function classify(dirent: Dirent, absolute: string, options: WalkOptions): 'folder' | 'file' | undefined {
  if (dirent.name.startsWith('.') && absolute !== options.trash) {
    if (dirent.isFile() && isTempFileName(dirent.name)) options.onTemp(absolute);
    return undefined;
  }
  if (dirent.isDirectory()) return dirent.name === 'node_modules' ? undefined : 'folder';
  return dirent.isFile() && MARKDOWN.test(dirent.name) ? 'file' : undefined;
}

function byRelative(a: WalkedFile, b: WalkedFile): number {
  return a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0;
}

/** Walk at once (the first scan of an open: nothing is served until it is done, and sync I/O is faster in bulk). */
export function walkFolderSync(options: WalkOptions): WalkedFile[] {
  const files: WalkedFile[] = [];
  // Paths built by joining names (a name from readdir holds no separator): path.join and path.relative for each
  // of 50,000 files cost a tenth of a second.
  const visit = (dir: string, relativeDir: string) => {
    options.onFolder?.(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const dirent of entries) {
      const absolute = prefix + dirent.name;
      const kind = classify(dirent, absolute, options);
      const relative = relativeDir === '' ? dirent.name : `${relativeDir}/${dirent.name}`;
      if (kind === 'folder') visit(absolute, relative);
      else if (kind === 'file') files.push({ relative, absolute });
    }
  };
  visit(options.dir, options.relativeDir);
  return files.sort(byRelative);
}

/**
 * Walk in the background: each folder is read a batch of entries at a time off the thread (`opendir`), and the
 * entries are looked at in slices, so however large a folder, no call waits on the walk for more than a slice.
 */
export async function walkFolder(options: WalkOptions, slice: Slicer): Promise<WalkedFile[]> {
  const files: WalkedFile[] = [];
  const visit = async (dir: string, relativeDir: string) => {
    options.onFolder?.(dir);
    let handle: import('node:fs').Dir;
    try {
      handle = await fs.opendir(dir, { bufferSize: 512 });
    } catch {
      return;
    }
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const folders: [string, string][] = [];
    try {
      for await (const dirent of handle) {
        const absolute = prefix + dirent.name;
        const kind = classify(dirent, absolute, options);
        const relative = relativeDir === '' ? dirent.name : `${relativeDir}/${dirent.name}`;
        if (kind === 'folder') folders.push([absolute, relative]);
        else if (kind === 'file') files.push({ relative, absolute });
        await slice();
      }
    } catch {
      // The folder went away while it was read: what was read stands.
    }
    for (const [absolute, relative] of folders) await visit(absolute, relative);
  };
  await visit(options.dir, options.relativeDir);
  return files;
}
