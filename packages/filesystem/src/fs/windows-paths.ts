/**
 * Windows-style path inputs, judged for the platform the server runs on. Models trained on both worlds write
 * `C:\Users\me`, `\\server\share` or `notes.txt::$DATA`; some of these are dangerous on Windows (device names, NTFS
 * streams, names Windows silently rewrites) and all of them are ambiguous on POSIX, where `C:\x` is one odd file
 * name. What is refused gets a message saying what the path looks like and a hint saying what to write instead.
 *
 * Everywhere: UNC shares (`\\server\share`, `//server/share`), device and extended-length paths (`\\?\C:\`,
 * `//./pipe/x`) and NTFS stream types (`a.txt::$DATA`, `a:s:$DATA`).
 * On POSIX: drive paths (`C:\x`, `c:/x`, `C:`). A colon inside a name (`a:b`, `12:30.txt`) is an ordinary character
 * there and is allowed, as are `con.txt`, trailing dots and backslashes inside names.
 * On Windows: any colon past the drive (alternate data streams, drive-relative `C:x`), reserved device names in any
 * part (`CON`, `nul.txt`, `COM1`, `LPT9`, `CONIN$`), names ending in a dot or space (Windows drops them, so
 * `a.txt.` would name `a.txt`), and the characters `< > " | ? *`.
 */

/** Why a path was refused: the message and what to do instead. */
export interface PathProblem {
  readonly message: string;
  readonly hint: string;
}

const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;
/** `name:$TYPE` with an NTFS attribute type (the stream syntax's last part). */
const STREAM_TYPE =
  /:\$(?:DATA|INDEX_ALLOCATION|BITMAP|ATTRIBUTE_LIST|EA|EA_INFORMATION|FILE_NAME|LOGGED_UTILITY_STREAM|OBJECT_ID|REPARSE_POINT|SECURITY_DESCRIPTOR|STANDARD_INFORMATION|VOLUME_INFORMATION|VOLUME_NAME)$/i;

/** What is wrong with `input` as a path on `platform`, or `undefined` when nothing is. */
export function windowsStyleProblem(
  input: string,
  platform: NodeJS.Platform = process.platform,
): PathProblem | undefined {
  const windows = platform === 'win32';
  // The common case, answered without a regular expression: a POSIX path with no colon, backslash or leading "//".
  if (!windows && !input.includes(':') && !input.includes('\\') && !input.startsWith('//')) return undefined;
  const shown = JSON.stringify(input);
  if (/^[\\/]{2}[?.][\\/]/.test(input)) {
    return {
      message: `${shown} is a Windows device or extended-length path (\\\\?\\ or \\\\.\\), which is never allowed.`,
      hint: 'Use a plain path relative to a root (call list_allowed_directories to see them).',
    };
  }
  if (/^[\\/]{2}[^\\/]/.test(input)) {
    return {
      message: `${shown} is a network share (UNC) path${windows ? '' : ', or starts with a doubled slash'}, which is not allowed.`,
      hint: windows
        ? 'Use a path on a local drive inside a root (call list_allowed_directories to see them).'
        : 'Start an absolute path with a single "/", or give the path relative to a root.',
    };
  }
  const parts = input.split(windows ? /[\\/]/ : '/');
  for (const part of parts) {
    if (part.includes('::$') || STREAM_TYPE.test(part)) {
      return {
        message: `${shown} names an NTFS alternate data stream (${JSON.stringify(part)}), which is not allowed.`,
        hint: 'Name the file itself, without ":" and the stream after it.',
      };
    }
  }
  if (!windows) {
    if (/^[a-z]:(?:[\\/]|$)/i.test(input)) {
      return {
        message: `${shown} looks like a Windows drive path, but this server runs on ${platform}, where it would be a file named ${JSON.stringify(input.split('/')[0])}.`,
        hint: 'Use a path relative to a root, or an absolute path such as "/home/…" (call list_allowed_directories to see the roots).',
      };
    }
    return undefined;
  }
  const drive = /^[a-z]:/i.test(input) ? 2 : 0;
  if (drive > 0 && input.length > 2 && !/[\\/]/.test(input[2] as string)) {
    return {
      message: `${shown} is relative to the current directory of drive ${input.slice(0, 2)}, which is ambiguous.`,
      hint: `Write ${input.slice(0, 2)}\\ followed by the full path, or give the path relative to a root.`,
    };
  }
  for (const part of input.slice(drive).split(/[\\/]/)) {
    if (part === '' || part === '.' || part === '..') continue;
    if (part.includes(':')) {
      return {
        message: `${shown} has a ":" in ${JSON.stringify(part)}, which on Windows names an alternate data stream.`,
        hint: 'Remove the ":" and what follows it; name the file itself.',
      };
    }
    if (/[<>"|?*]/.test(part)) {
      return {
        message: `${shown} has a character Windows does not allow in names (< > " | ? *).`,
        hint: 'Use the exact name (search_files finds files by a glob pattern).',
      };
    }
    if (/[. ]$/.test(part)) {
      return {
        message: `${shown} has a name ending in a dot or a space (${JSON.stringify(part)}); Windows drops those, so it would name something else.`,
        hint: `Write the name without the trailing dots and spaces (${JSON.stringify(part.replace(/[. ]+$/, ''))}).`,
      };
    }
    if (RESERVED.test(part)) {
      return {
        message: `${shown} uses ${JSON.stringify(part)}, a reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9), even with an extension.`,
        hint: 'Choose another name; such names reach devices, not files.',
      };
    }
  }
  return undefined;
}
