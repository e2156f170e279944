import { describeFsError } from '../node/files';

// A failed write to standard output (`dfl schema > /dev/full`, a closed pipe) would otherwise be
// an unhandled stream error: a stack trace, and the command cut off before it saves its files.

let failed = false;

/** Says once, in one line, that stdout cannot be written, and lets the command finish its files. */
export function watchStdout(stream: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): void {
  stream.on('error', (error: Error) => {
    if (failed) return;
    failed = true;
    err.write(`dfl: cannot write to standard output (${describeFsError(error)})\n`);
    // The error can come after the command has returned its code.
    if (!process.exitCode) process.exitCode = 74;
  });
}

/** The exit code: the command's own, else 74 (EX_IOERR) when stdout could not be written. */
export function exitCode(code: number): number {
  return code === 0 && failed ? 74 : code;
}
