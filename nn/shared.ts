// Whether parameters can live on a SharedArrayBuffer (absent in a page that is not cross-origin isolated).
export const canShareMemory = (): boolean => typeof SharedArrayBuffer !== 'undefined';
