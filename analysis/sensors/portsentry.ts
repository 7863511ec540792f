/** PortSentry has no count: in advanced mode the first connection to a watched port is the alarm. */
export const PORTSENTRY_THRESHOLD_TEXT = 'portsentry (advanced mode) alarms on the first connection to a port it watches';
