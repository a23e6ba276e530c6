/** Public surface of the symbol index; other modules import from here, not from the parts. */
export { type ExtractOptions, extractSymbols, isSymbolSource } from "./extract.js";
export { formatOutline } from "./outline.js";
export {
  type BuildStats,
  createProjectMap,
  findSymbol,
  type ProjectFile,
  type ProjectMap,
  type ProjectMapHandle,
  type ProjectMapOptions,
  type SymbolLocation,
} from "./project-map.js";
export type { SummaryOptions } from "./summary.js";
export type { FileSymbol, SymbolKind } from "./types.js";
