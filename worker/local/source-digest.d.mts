/** sha256 (hex) over the path and bytes of every source file under `dirs` and of `files`, below `root`. */
export function sourceDigest(root: string, dirs: readonly string[], files: readonly string[]): string;
