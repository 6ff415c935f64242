import type { ModuleManifest } from './manifest.js';

/**
 * The app's modules (modules/index.ts MODULES) for code that runs outside a request and is itself
 * part of a module: the search indexer, called from the commands of many modules, builds every
 * module's documents. A static import of MODULES from there would be an import circle (MODULES
 * imports every module, whose commands import the indexer), so the list is imported on first use,
 * when every module has long been evaluated. Routes get the list from their ModuleContext instead.
 */
let loaded: Promise<readonly ModuleManifest[]> | undefined;

export function allModules(): Promise<readonly ModuleManifest[]> {
  loaded ??= import('./index.js').then((m) => m.MODULES);
  return loaded;
}
