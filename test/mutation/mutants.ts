import ts from 'typescript';

/**
 * One edit to a detector's source: a threshold literal moved, or a message's
 * words dropped. The suite should notice every such edit; one it does not
 * notice marks a rule no test pins down.
 */
export interface Mutant {
  file: string;
  /** 1-based line of the edit, for the report. */
  line: number;
  /**
   * `capacity` is a memory bound (see isCapacity): moving it changes nothing
   * below the bound, so it is reported apart and not scored.
   */
  kind: 'threshold' | 'comparison' | 'message' | 'capacity';
  before: string;
  after: string;
  start: number;
  end: number;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);
const MESSAGE_KEYS = new Set(['summary', 'explanation']);

/**
 * A table or sample size rather than a rule: named MAX_* with a power of two
 * or a round size of 1000 or more (MAX_CONVERSATIONS = 500_000), or INITIAL_*
 * (the first allocation of a table that grows). A MAX_* that is a rule
 * (MAX_MEDIAN_SESSION_S = 30, a share of 0.2) stays a threshold.
 */
export function isCapacity(name: string, text: string): boolean {
  const n = Number(text.replaceAll('_', '').replace(/^1 << (\d+)$/, (_, k: string) => String(2 ** Number(k))));
  return (name.startsWith('MAX_') || name.startsWith('INITIAL_')) && Number.isInteger(n) && (n >= 1000 || (n >= 64 && (n & (n - 1)) === 0));
}

/** A nearby value a test at the boundary tells apart: small counts +1, large ones doubled, shares moved halfway to 1. */
export function shifted(text: string): string | undefined {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(n)) return undefined;
  if (n > 0 && n < 1) return String((n + 1) / 2);
  if (!Number.isInteger(n)) return String(n * 2);
  if (n === 0) return '1';
  return String(n <= 100 ? n + 1 : n * 2);
}

/** The longest run of plain words in a message literal, dropped. */
function messageEdit(text: string): string | undefined {
  const words = [...text.matchAll(/[A-Za-z][A-Za-z' -]{10,}[A-Za-z]/g)].sort((a, b) => b[0].length - a[0].length)[0];
  if (!words) return undefined;
  return text.slice(0, words.index) + text.slice(words.index! + words[0].length);
}

/**
 * The mutants of one source file: every top-level numeric constant, every
 * numeric literal compared against, and the longest static text of each
 * `summary` / `explanation`.
 */
export function mutantsOf(file: string, source: string): Mutant[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const out: Mutant[] = [];
  const add = (node: ts.Node, kind: Mutant['kind'], after: string | undefined): void => {
    if (after === undefined) return;
    const start = node.getStart(sf);
    const before = source.slice(start, node.end);
    if (after === before) return;
    out.push({ file, line: sf.getLineAndCharacterOfPosition(start).line + 1, kind, before, after, start, end: node.end });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isNumericLiteral(node.initializer)
      && ts.isSourceFile(node.parent.parent.parent) && /^[A-Z][A-Z0-9_]*$/.test(node.name.getText(sf))) {
      add(node.initializer, isCapacity(node.name.getText(sf), node.initializer.getText(sf)) ? 'capacity' : 'threshold', shifted(node.initializer.getText(sf)));
    } else if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
      for (const side of [node.left, node.right]) if (ts.isNumericLiteral(side)) add(side, 'comparison', shifted(side.getText(sf)));
    } else if (ts.isPropertyAssignment(node) && MESSAGE_KEYS.has(node.name.getText(sf))) {
      const literals: Array<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateLiteralLikeNode> = [];
      const collect = (n: ts.Node): void => {
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) literals.push(n);
        ts.forEachChild(n, collect);
      };
      collect(node.initializer);
      const longest = literals.sort((a, b) => b.getText(sf).length - a.getText(sf).length)[0];
      if (longest) add(longest, 'message', messageEdit(longest.getText(sf)));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The source with one mutant applied. */
export function apply(source: string, m: Mutant): string {
  return source.slice(0, m.start) + m.after + source.slice(m.end);
}
