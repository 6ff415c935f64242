import type { ModuleManifest } from './manifest.js';
import { manifest as bodies } from './bodies/index.js';
import { manifest as meetings } from './meetings/index.js';
import { manifest as reviews } from './reviews/index.js';
import { manifest as standards } from './standards/index.js';

/** The modules that register themselves (manifest.ts), in order. */
export const MODULES: readonly ModuleManifest[] = [bodies, meetings, reviews, standards];
