// The CLI's file handling is the shared Node adapter's (node/safeFiles.ts).
export { checkOutputFile, checkOutputFolder, partialResultPath, readRegularFile, readRegularTextFile, writeFileAtomic } from '../node/safeFiles';
