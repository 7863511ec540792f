/** The Electron executable under node_modules/electron (or ELECTRON_OVERRIDE_DIST_PATH), or undefined when it was never downloaded. */
export function electronBinary(root: string): string | undefined;
