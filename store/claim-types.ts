/** A claim as data (claims.ts), apart so the queue's types can name it without importing the claim writes. */
export interface Claim {
  caseId: number;
  operator: string;
  claimedAt: number;
  lastSeenAt: number;
  /** When the claim lapses unless renewed. */
  expiresAt: number;
}
