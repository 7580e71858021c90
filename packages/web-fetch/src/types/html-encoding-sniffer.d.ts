// html-encoding-sniffer ships no typings; this is the part of its API we use.
declare module 'html-encoding-sniffer' {
  interface SnifferOptions {
    xml?: boolean;
    transportLayerEncodingLabel?: string;
    defaultEncoding?: string;
    maxPrescanBytes?: number;
  }
  function htmlEncodingSniffer(bytes: Uint8Array, options?: SnifferOptions): string;
  export default htmlEncodingSniffer;
}
