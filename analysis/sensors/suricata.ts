/** Suricata ships no portscan counter: its scan alerts are signatures, each with its own threshold. */
export const SURICATA_THRESHOLD_TEXT = 'Suricata has no portscan preprocessor: a "scan" alert is a signature (ET SCAN ...) with its own threshold';
