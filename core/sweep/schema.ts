import { z } from 'zod';

// The sweep file (`*.dfl-sweep.json`), as one zod schema like the experiment spec's
// (core/spec/schema.ts): a base spec, axes over dotted paths into it, an optional seeded random
// sample of the grid, and the measures collected per run (core/sweep/measures.ts).

/** Most runs one sweep may expand to (grid size or sample count). */
export const MAX_SWEEP_RUNS = 1_000_000;
/** Most axes in one sweep (each value of each is checked alone: the cost grows with their square). */
export const MAX_SWEEP_AXES = 64;
/** Most values one range axis may generate. */
const MAX_AXIS_VALUES = 100_000;

/** A dotted path into the spec: field names, and array indices as numbers. */
export const AXIS_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*$/;

const count = () => z.int().min(1).max(MAX_AXIS_VALUES);
const pair = () => z.tuple([z.number(), z.number()]);

/** `"depth": [2, 3, 4]`: the values themselves (any JSON the spec accepts at that path). */
export const listAxis = z.array(z.unknown()).min(1).max(MAX_AXIS_VALUES);
/** `{ "linear": [0.01, 0.1], "count": 10 }`: evenly spaced, both ends included. */
const linearAxis = z.strictObject({ linear: pair(), count: count(), integer: z.boolean().default(false) });
/** `{ "log": [0.01, 1], "count": 5 }`: geometrically spaced, both ends included (positive ends). */
const logAxis = z.strictObject({ log: z.tuple([z.number().positive(), z.number().positive()]), count: count(), integer: z.boolean().default(false) });
/** `{ "seeds": 5, "from": 1 }`: the integers from, from + 1, …, from + seeds − 1. */
export const seedsAxis = z.strictObject({ seeds: count(), from: z.int().min(0).max(2 ** 31 - 1).default(0) });
/** `{ "uniform": [a, b] }` / `{ "logUniform": [a, b] }`: drawn per run; only with `sample`. */
export const uniformAxis = z.strictObject({ uniform: pair() });
export const logUniformAxis = z.strictObject({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) });

const axisSchema = z.union([listAxis, linearAxis, logAxis, seedsAxis, uniformAxis, logUniformAxis]);

/** Measure groups (columns of the summary; docs/sweeps.md lists each column). */
const measureGroups = ['loss', 'erank', 'plateaus', 'stepsTo', 'order', 'groundTruth', 'divergence'] as const;

export const sweepSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  /** An experiment spec (core/spec/schema.ts); fields set by an axis may be left out. */
  base: z.record(z.string(), z.unknown()),
  /** Dotted path into the spec → its values; a full grid, first axis slowest. */
  axes: z.record(z.string().regex(AXIS_PATH, 'must be a dotted path such as "init.alpha"'), axisSchema).default({}),
  /** A seeded uniform sample of `count` grid points (without replacement) instead of the full grid. */
  sample: z.strictObject({ count: z.int().min(1).max(MAX_SWEEP_RUNS), seed: z.int().min(0).max(2 ** 31 - 1).default(0) }).optional(),
  measures: z
    .strictObject({
      /** Which groups of columns; default all. */
      include: z.array(z.enum(measureGroups)).min(1).default([...measureGroups]),
      /** Plateau, step-count and order columns for L = 1 … ranks. */
      ranks: z.int().min(1).max(32).default(4),
      /** θ of "steps to reach θλ_i" (Proposition 4.3). */
      theta: z.array(z.number().gt(0).lt(1)).min(1).max(8).default([0.5]),
    })
    .prefault({}),
});

export type SweepFile = z.output<typeof sweepSchema>;
export type AxisSpec = z.output<typeof axisSchema>;
export type MeasureOptions = SweepFile['measures'];
