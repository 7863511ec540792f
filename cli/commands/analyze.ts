export async function analyzeCommand(_argv: string[]): Promise<number> { return 2; }
