// Types for the parts of kd-tree-javascript (a CommonJS/UMD module without bundled types) that
// geometry/kdTreeIndex.ts uses. Type-only: nothing here is emitted or needed at run time.

declare module 'kd-tree-javascript' {
  export interface KdTree<T> {
    /** Up to `maxNodes` nearest items as [item, metric value] pairs, in no particular order. */
    nearest(point: T, maxNodes: number, maxDistance?: number): [T, number][];
  }
  interface KdTreeConstructor {
    new <T>(points: T[], metric: (a: T, b: T) => number, dimensions: readonly (keyof T)[]): KdTree<T>;
  }
  /** The CommonJS module object, which Node hands to ESM as the default export. */
  const kdTreeModule: { kdTree: KdTreeConstructor };
  export default kdTreeModule;
}
