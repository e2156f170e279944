import path from 'node:path';
import type * as vscode from 'vscode';
import { loadCompute, type Compute } from './computeLoader';
import type { ComputeBackend } from '../settings';

// The compute bundle as the services use it: loaded on first use, its backend activated before
// a run or a check (a wasm fallback is logged).

export class ComputeService {
  constructor(
    private readonly distFolder: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get(): Compute {
    return loadCompute(this.distFolder);
  }

  async ready(backend: ComputeBackend): Promise<Compute> {
    const compute = this.get();
    const status = await compute.useBackend(backend, path.join(this.distFolder, 'wasm'));
    if (status.fallback) this.output.warn(status.fallback);
    return compute;
  }
}
