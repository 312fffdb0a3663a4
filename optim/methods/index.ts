// The reconstruction methods the fit driver knows, by the name `--method` takes. A new method
// adds its file beside these and one line here.

import type { FitMethod } from '../fitMethod.js';
import { carve } from './carve.js';
import { drwr } from './drwr.js';
import { dss } from './dss.js';
import { metaballs } from './metaballs.js';
import { sdf } from './sdf.js';

/** Each method's settings type is its own; the driver checks values against `settings` before `start`. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds methods of different settings types
export type AnyFitMethod = FitMethod<any>;

export const FIT_METHODS: Record<string, AnyFitMethod> = {
  dss,
  metaballs,
  drwr,
  carve,
  sdf,
};

export const DEFAULT_METHOD = 'dss';
