// Where the embedded log and the broker sinks' id indexes live when nothing says otherwise
// (FEEDPULSE_DATA): one default for the collector, its sinks and the log reader.
export const DEFAULT_DATA_DIR = '.feedpulse';
