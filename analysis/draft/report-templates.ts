/**
 * The reply paragraphs for each report type (analysis/triage/report-class.ts),
 * used by the group reply (group-reply.ts) to start its template. Network
 * abuse is answered by its verdict: backscatter and legitimate traffic need no
 * action, a compromise is taken up with the customer, an inconclusive one asks
 * for their logs. The other types are answered by what they report: a
 * phishing page or malware is taken down, spam stopped, an open service
 * restricted, a copyright notice forwarded. Until an analysis confirms one, the
 * reply says what we did, not what our records show.
 *
 * Pure text: no store, DOM or Node types.
 */
import type { ReportClass, Verdict } from '../case-vocabulary';

/** How the reply names a report: a report type, or for network abuse its activity. */
export type ReportKind = Exclude<ReportClass, 'network-abuse'> | 'network';

const CONTENT_KINDS: readonly string[] = ['spam', 'phishing', 'malware-hosting', 'open-service', 'copyright'];

/** The kind a group key's third part names: a report type, else a network activity. */
export function reportKind(activity: string): ReportKind {
  return CONTENT_KINDS.includes(activity) ? activity as ReportKind : 'network';
}

/** The report type or activity in words, for a selection that mixes them. */
export function reportKindLabel(activity: string): string {
  switch (activity) {
    case 'spam': return 'spam';
    case 'phishing': return 'phishing';
    case 'malware-hosting': return 'malware hosting';
    case 'open-service': return 'open service';
    case 'copyright': return 'copyright';
    case 'port-scan': return 'port scan';
    case 'sweep': return 'address sweep';
    case 'flood': return 'flood';
    case 'brute-force': return 'brute force';
    case 'worm': return 'worm';
    default: return 'other network activity';
  }
}

/** What the reporter saw, in the words of the report type. */
export function reportWords(activity: string): string {
  switch (activity) {
    case 'spam': return 'spam sent from {accused}';
    case 'phishing': return 'a phishing site on {accused}';
    case 'malware-hosting': return 'malware hosted on {accused}';
    case 'open-service': return 'an open service on {accused}';
    case 'copyright': return 'material shared from {accused} without the rights holder\'s permission';
    case 'port-scan': return 'a port scan from {accused}';
    case 'sweep': return 'an address sweep from {accused}';
    case 'flood': return 'a flood from {accused}';
    case 'brute-force': return 'login attempts from {accused}';
    case 'worm': return 'worm-like traffic from {accused}';
    default: return 'traffic from {accused}';
  }
}

const NO_ACTION = 'No action is needed on our side. Please get in touch if you see anything else.';

/** A report type's paragraphs when our records confirm it (an analysed compromise). */
const CONFIRMED: Record<ReportKind, string[]> = {
  spam: [
    'Our records confirm that the messages came from {accused}. The system appears to be compromised or misused to send spam, and we are taking it up with the customer responsible for it.',
    'Thank you for the report; please tell us if the spam goes on.',
  ],
  phishing: [
    'Our records confirm that {accused} was used for the phishing you reported. We are taking it up with the customer responsible for it, to have the fraudulent content removed and the system secured.',
    'Thank you for the report; please tell us if the phishing goes on.',
  ],
  'malware-hosting': [
    'Our records confirm that {accused} served the files you reported. We are taking it up with the customer responsible for it, to have the malware removed and the system secured.',
    'Thank you for the report; please tell us if the files are still being served.',
  ],
  'open-service': [
    'Our records confirm that {accused} answers anyone on the Internet on the service you reported. We are taking it up with the customer responsible for it, to have the service restricted to the networks that need it or turned off.',
    'Thank you for the report.',
  ],
  copyright: [
    'Our records confirm that {accused} was in use at the time you give. We have forwarded your notice to the customer responsible for it and asked them to remove the material.',
    'Thank you for the notice.',
  ],
  network: [
    'Our records confirm that {accused} sent this traffic. The host appears to be compromised or misused, and we are taking it up with the customer responsible for it.',
    'Thank you for the report; please tell us if the activity goes on.',
  ],
};

/** A report type's paragraphs before any analysis: what we did with the report, claiming nothing of our records. */
const PASSED_ON: Record<Exclude<ReportKind, 'network'>, string[]> = {
  spam: [
    'We have passed your report to the customer responsible for {accused} and asked them to stop the mail and to check the system for misuse.',
    'Thank you for the report; please tell us if the spam goes on.',
  ],
  phishing: [
    'We have passed your report to the customer responsible for {accused} and asked them to take the fraudulent content down at once and to find out how it got there.',
    'If the site is still online after 24 hours, please tell us and we will follow it up.',
  ],
  'malware-hosting': [
    'We have passed your report to the customer responsible for {accused} and asked them to remove the malicious files and to secure the site they were placed on.',
    'If the files are still being served after 24 hours, please tell us and we will follow it up.',
  ],
  'open-service': [
    'A service that answers anyone on the Internet can be abused, for example to amplify attacks on others. We have asked the customer responsible for {accused} to restrict it to the networks that need it or to turn it off.',
    'Thank you for the report.',
  ],
  copyright: [
    'We have forwarded your notice to the customer who used {accused} at the time you give and asked them to remove the material.',
    'Please contact us again if it is still being shared.',
  ],
};

/** The paragraphs after the greeting and the report's summary, by the group's verdict and report type. */
export function verdictParagraphs(verdict: Verdict, activity: string): string[] {
  const kind = reportKind(activity);
  switch (verdict) {
    case 'backscatter':
      return kind === 'network'
        ? [
          'The packets you saw from {accused} are backscatter: replies to forged traffic that used your address as its source. Our captures show the incoming flood at the times you report; {accused} only answered it and did not start any of these connections.',
          NO_ACTION,
        ]
        : ['What you saw from {accused} is backscatter: answers to messages or requests that someone else sent in your name. {accused} did not start them.', NO_ACTION];
    case 'legitimate':
      return [
        kind === 'network'
          ? 'The traffic you saw from {accused} is legitimate: it is a service our customer runs on purpose, and our own records show the connections you report as answered normal requests, not an attack.'
          : 'What you reported from {accused} is legitimate: our own records show it as the normal working of a service our customer runs on purpose.',
        NO_ACTION,
      ];
    case 'compromise':
      return CONFIRMED[kind];
    case 'inconclusive':
      // A report of content or a service is acted on by its type; only network abuse waits for their logs.
      if (kind !== 'network') return PASSED_ON[kind];
      return [
        'Our records neither confirm nor rule out what you describe, so we cannot act on it yet.',
        'Could you send us the log lines or flow records you have (with source and destination addresses and ports, and the time zone of the time stamps)? That lets us match them against our own records.',
      ];
  }
}
