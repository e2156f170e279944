import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors';

// MNIST digits where the `mnist` package is not installed (the VS Code extension, and the dfl it
// spawns for Run Sweep: $DFL_MNIST_SUBSET): the first 100 samples of each digit
// (dist/mnist-subset.json, made by scripts/build.mjs), not the package's 41 MB.

/** Where a dfl without the `mnist` package finds the shipped subset (dist/mnist-subset.json). */
export const MNIST_SUBSET_ENV = 'DFL_MNIST_SUBSET';

interface SubsetFile {
  perDigit: number;
  /** digits[d]: perDigit × 784 values in [0, 1], row-major, sample after sample. */
  digits: number[][];
}

let subset: SubsetFile | undefined;

export function mnistDigitFrom(file: string): (digit: number, index: number) => number[] {
  return (digit, index) => {
    subset ??= JSON.parse(readFileSync(file, 'utf8')) as SubsetFile;
    const data = subset.digits[digit];
    if (!data) throw new InputError(`spec.target.digit: ${digit} is not a digit 0–9`);
    if (index >= subset.perDigit)
      throw new InputError(`spec.target.index: the extension ships the first ${subset.perDigit} samples of each MNIST digit (got sample ${index} of digit ${digit}; the CLI reads all of them)`);
    return data.slice(index * 784, (index + 1) * 784);
  };
}
