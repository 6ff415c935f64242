/** The part of madge 8 (no type declarations of its own) the import-circle check uses. */
declare module 'madge' {
  interface MadgeResult {
    /** Every file found, relative to the base directory, with the files it imports. */
    obj(): Record<string, string[]>;
    /** The import circles, each as the list of files around it. */
    circular(): string[][];
  }
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: Record<string, Record<string, unknown>>;
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
